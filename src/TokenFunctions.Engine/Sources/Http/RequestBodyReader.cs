using Microsoft.AspNetCore.Http;

namespace TokenFunctions.Engine.Sources.Http;

/// <summary>
/// Reads the raw body with a hard cap: a declared Content-Length above the cap is refused without reading, and a stream
/// that keeps going past the cap (chunked, or lying about its length) is cut off at cap + 1 bytes.
/// </summary>
public static class RequestBodyReader
{
    private const int InitialChunk = 16 * 1024;

    public static async ValueTask<BodyReadResult> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength is { } declared && declared > maxBytes)
        {
            return BodyReadResult.Oversize;
        }

        // One byte of headroom tells "exactly the cap" from "more than the cap".
        var limit = (int)Math.Min(maxBytes + 1, Array.MaxLength);
        var buffer = new byte[(int)Math.Min(limit, Math.Max(1, request.ContentLength ?? InitialChunk) + 1)];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (buffer.Length >= limit)
                {
                    break;
                }

                Array.Resize(ref buffer, (int)Math.Min(limit, (long)buffer.Length * 2));
            }

            var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            length += read;
        }

        return length > maxBytes ? BodyReadResult.Oversize : new BodyReadResult(buffer.AsMemory(0, length), false);
    }
}
