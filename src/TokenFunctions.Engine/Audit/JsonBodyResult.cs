using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;

namespace TokenFunctions.Engine.Audit;

/// <summary>
/// Writes a source-generated JSON body. Unlike <see cref="JsonResult"/> it needs no MVC services, so it runs the same in
/// the Functions worker, on a bare <c>DefaultHttpContext</c> and behind Kestrel.
/// </summary>
public sealed class JsonBodyResult<T> : IActionResult, IStatusCodeActionResult
{
    private readonly JsonTypeInfo<T> _typeInfo;

    public JsonBodyResult(T value, JsonTypeInfo<T> typeInfo, int statusCode)
    {
        Value = value;
        _typeInfo = typeInfo;
        StatusCode = statusCode;
    }

    public T Value { get; }

    public int? StatusCode { get; }

    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCode ?? 200;
        response.ContentType = StatusCode >= 400 ? "application/problem+json; charset=utf-8" : "application/json; charset=utf-8";

        // Audit answers are about incidents: no shared cache may keep them.
        response.Headers.CacheControl = "no-store";
        await JsonSerializer.SerializeAsync(response.Body, Value, _typeInfo, context.HttpContext.RequestAborted).ConfigureAwait(false);
    }
}
