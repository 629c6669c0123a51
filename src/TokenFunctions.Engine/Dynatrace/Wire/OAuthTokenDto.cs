using System.Text.Json.Serialization;

namespace TokenFunctions.Engine.Dynatrace.Wire;

/// <summary>The SSO's client-credentials answer. <see cref="AccessToken"/> is a credential: never log it.</summary>
internal sealed record OAuthTokenDto(
    [property: JsonPropertyName("token_type")] string? TokenType,
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("expires_in")] int? ExpiresIn,
    [property: JsonPropertyName("resource")] string? Resource,
    [property: JsonPropertyName("scope")] string? Scope);
