using System.Text.Json.Serialization;

namespace TokenFunctions.KeyVaultSandbox.Wire;

/// <summary>Key Vault's error envelope: <c>{"error":{"code":…,"message":…,"innererror":{"code":…}}}</c>.</summary>
internal sealed record KeyVaultErrorEnvelopeJson(KeyVaultErrorJson Error);

internal sealed record KeyVaultErrorJson(
    string Code,
    string Message,
    [property: JsonPropertyName("innererror")] KeyVaultInnerErrorJson? InnerError = null);

internal sealed record KeyVaultInnerErrorJson(string Code);

/// <summary>The App Service identity endpoint's error body.</summary>
internal sealed record IdentityErrorJson(int StatusCode, string Message);
