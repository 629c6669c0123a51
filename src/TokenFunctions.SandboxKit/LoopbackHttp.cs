using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace TokenFunctions.SandboxKit;

/// <summary>JSON in and out of a sandbox's handlers; each sandbox keeps its own content type and error bodies.</summary>
public static class LoopbackHttp
{
    /// <summary>Writes <paramref name="value"/> with a <c>Content-Length</c> (no chunking), as both services answer.</summary>
    public static Task WriteJsonAsync<T>(HttpContext context, int status, T value, JsonTypeInfo<T> type, string contentType)
    {
        ArgumentNullException.ThrowIfNull(context);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, type);
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = bytes.Length;
        return response.Body.WriteAsync(bytes).AsTask();
    }

    /// <summary>The request's JSON body, or null when it is missing or malformed (the caller answers in its service's words).</summary>
    public static async Task<T?> TryReadJsonAsync<T>(HttpContext context, JsonTypeInfo<T> type)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            return await JsonSerializer.DeserializeAsync(context.Request.Body, type, context.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
