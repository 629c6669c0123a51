using System.Globalization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using TokenFunctions.DynatraceSandbox.Wire;
using TokenFunctions.SandboxKit;

namespace TokenFunctions.DynatraceSandbox.Api;

internal static class SandboxHttp
{
    /// <summary>Dynatrace's content type, without a space before <c>charset</c>.</summary>
    private const string JsonContentType = "application/json;charset=utf-8";

    public static string FormatDate(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string? FormatDate(DateTimeOffset? value) => value is { } v ? FormatDate(v) : null;

    public static Task WriteJsonAsync<T>(HttpContext context, int status, T value, JsonTypeInfo<T> type) =>
        LoopbackHttp.WriteJsonAsync(context, status, value, type, JsonContentType);

    /// <summary>Dynatrace's <c>ErrorEnvelope</c>.</summary>
    public static Task WriteErrorAsync(HttpContext context, int status, string message, params ConstraintViolationJson[] violations) =>
        WriteJsonAsync(
            context,
            status,
            new ErrorEnvelopeJson(new ErrorJson(status, message, violations.Length == 0 ? null : violations)),
            SandboxJsonContext.Default.ErrorEnvelopeJson);

    public static Task WriteBodyViolationAsync(HttpContext context, string path, string message) =>
        WriteErrorAsync(context, 400, "Constraints violated.", new ConstraintViolationJson(path, message, "PAYLOAD_BODY"));

    public static Task WriteQueryViolationAsync(HttpContext context, string path, string message) =>
        WriteErrorAsync(context, 400, "Constraints violated.", new ConstraintViolationJson(path, message, "QUERY"));

    public static void NoContent(HttpContext context, int status = 204)
    {
        context.Response.StatusCode = status;
        context.Response.ContentLength = 0;
    }

    /// <summary>Reads a JSON body; on malformed or missing JSON answers 400 itself and returns null.</summary>
    public static async Task<T?> ReadJsonAsync<T>(HttpContext context, JsonTypeInfo<T> type)
        where T : class
    {
        if (await LoopbackHttp.TryReadJsonAsync(context, type) is { } value)
        {
            return value;
        }

        await WriteErrorAsync(context, 400, "Could not map JSON at '' near line 1 column 1.");
        return null;
    }
}
