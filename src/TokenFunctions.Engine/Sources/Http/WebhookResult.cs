using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;

namespace TokenFunctions.Engine.Sources.Http;

/// <summary>
/// The answer of a webhook endpoint. It writes itself to the response without MVC's executors or formatters, so the same
/// result runs in the Functions host, on a bare Kestrel route and against a <c>DefaultHttpContext</c>. The body is JSON
/// produced by source-generated metadata and never carries a secret.
/// </summary>
public sealed class WebhookResult : IActionResult, IStatusCodeActionResult
{
    private WebhookResult(int statusCode, string reason, byte[]? jsonBody, TimeSpan? retryAfter)
    {
        StatusCode = statusCode;
        Reason = reason;
        JsonBody = jsonBody;
        RetryAfter = retryAfter;
    }

    public int StatusCode { get; }

    int? IStatusCodeActionResult.StatusCode => StatusCode;

    /// <summary>A low-cardinality reason code (<c>bad_signature</c>, <c>accepted</c>, …) for logs and tests.</summary>
    public string Reason { get; }

    public byte[]? JsonBody { get; }

    public TimeSpan? RetryAfter { get; }

    public static WebhookResult Json<T>(int statusCode, string reason, T body, JsonTypeInfo<T> typeInfo) =>
        new(statusCode, reason, JsonSerializer.SerializeToUtf8Bytes(body, typeInfo), null);

    /// <summary>An error with <c>{"error": reason}</c>; 401s use the generic <c>unauthorized</c> so the body is no oracle.</summary>
    public static WebhookResult Error(int statusCode, string reason, TimeSpan? retryAfter = null)
    {
        var shown = statusCode == 401 ? "unauthorized" : reason;
        return new(statusCode, reason, JsonSerializer.SerializeToUtf8Bytes(new ErrorBody(shown), SourcesJsonContext.Default.ErrorBody), retryAfter);
    }

    public static WebhookResult Empty(int statusCode, string reason) => new(statusCode, reason, null, null);

    public T? ReadBody<T>(JsonTypeInfo<T> typeInfo) => JsonBody is null ? default : JsonSerializer.Deserialize(JsonBody, typeInfo);

    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCode;
        response.Headers.CacheControl = "no-store";
        if (RetryAfter is { } retryAfter)
        {
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        if (JsonBody is { } body)
        {
            response.ContentType = "application/json; charset=utf-8";
            response.ContentLength = body.Length;
            await response.Body.WriteAsync(body, context.HttpContext.RequestAborted).ConfigureAwait(false);
        }
    }

    public override string ToString() => $"{StatusCode} {Reason}";
}

/// <summary><c>{"error": "..."}</c>.</summary>
public sealed record ErrorBody(string Error);
