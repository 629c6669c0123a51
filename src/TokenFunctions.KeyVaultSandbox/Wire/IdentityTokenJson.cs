using System.Text.Json.Serialization;

namespace TokenFunctions.KeyVaultSandbox.Wire;

/// <summary>
/// The App Service managed-identity answer (api-version 2019-08-01) as MSAL reads it: <c>access_token</c> and
/// <c>expires_on</c> (Unix seconds, a string) are required; <c>resource</c>, <c>token_type</c> and <c>client_id</c> echo the request.
/// </summary>
internal sealed record IdentityTokenJson(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_on")] string ExpiresOn,
    [property: JsonPropertyName("resource")] string Resource,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("client_id")] string ClientId);
