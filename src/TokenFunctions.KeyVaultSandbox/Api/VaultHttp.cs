using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using TokenFunctions.KeyVaultSandbox.Wire;
using TokenFunctions.SandboxKit;

namespace TokenFunctions.KeyVaultSandbox.Api;

internal static class VaultHttp
{
    /// <summary>Key Vault's content type, with a space before <c>charset</c>.</summary>
    private const string JsonContentType = "application/json; charset=utf-8";

    public static Task WriteJsonAsync<T>(HttpContext context, int status, T value, JsonTypeInfo<T> type) =>
        LoopbackHttp.WriteJsonAsync(context, status, value, type, JsonContentType);

    public static Task WriteErrorAsync(HttpContext context, int status, string code, string message, string? innerCode = null) =>
        WriteJsonAsync(
            context,
            status,
            new KeyVaultErrorEnvelopeJson(new KeyVaultErrorJson(code, message, innerCode is null ? null : new KeyVaultInnerErrorJson(innerCode))),
            KeyVaultJsonContext.Default.KeyVaultErrorEnvelopeJson);

    public static Task WriteBadParameterAsync(HttpContext context, string message) => WriteErrorAsync(context, 400, "BadParameter", message);

    /// <summary>Key Vault's wording for a missing secret or version.</summary>
    public static Task WriteNotFoundAsync(HttpContext context, string nameOrId) =>
        WriteErrorAsync(
            context,
            404,
            "SecretNotFound",
            $"A secret with (name/id) {nameOrId} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command.");

    /// <summary>Reads a JSON body; on malformed or missing JSON answers 400 itself and returns null.</summary>
    public static async Task<T?> ReadJsonAsync<T>(HttpContext context, JsonTypeInfo<T> type)
        where T : class
    {
        if (await LoopbackHttp.TryReadJsonAsync(context, type) is { } value)
        {
            return value;
        }

        await WriteBadParameterAsync(context, "The request body is not valid JSON.");
        return null;
    }

    public static long? UnixSeconds(DateTimeOffset? value) => value?.ToUnixTimeSeconds();

    public static DateTimeOffset? FromUnixSeconds(long? value) => value is { } v ? DateTimeOffset.FromUnixTimeSeconds(v) : null;
}
