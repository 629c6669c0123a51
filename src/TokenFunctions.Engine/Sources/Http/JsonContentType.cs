using Microsoft.Net.Http.Headers;

namespace TokenFunctions.Engine.Sources.Http;

/// <summary><c>application/json</c> or <c>application/*+json</c>, in UTF-8 when a charset is named.</summary>
public static class JsonContentType
{
    public static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType) || !MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return false;
        }

        var type = media.MediaType;
        var json = type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
        var charset = media.Charset;
        return json && (!charset.HasValue || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase));
    }
}
