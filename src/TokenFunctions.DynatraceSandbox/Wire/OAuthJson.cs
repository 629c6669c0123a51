using System.Text.Json.Serialization;

namespace TokenFunctions.DynatraceSandbox.Wire;

internal sealed record OAuthTokenJson(
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("resource")] string Resource,
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("scope")] string Scope);

internal sealed record OAuthErrorJson(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string Description);
