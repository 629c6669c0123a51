using System.Net.Http.Headers;
using Polly.Timeout;

namespace TokenFunctions.Engine.Dynatrace.Http;

/// <summary>
/// Sends one request through a named, resilient <see cref="HttpClient"/> and reads the whole answer. Transport failures
/// become a <see cref="DynatraceResponse.TransportFailure"/> text (no secret can be in it: it is built here, not copied).
/// Only the caller's own cancellation escapes as an exception.
/// </summary>
internal sealed class DynatraceSender(IHttpClientFactory factory, string clientName, TimeProvider time)
{
    private static readonly ProductInfoHeaderValue UserAgent = new("TokenFunctions", "1.0");

    public TimeProvider Time => time;

    public async Task<DynatraceResponse> SendAsync(HttpRequestMessage request, long deadline, bool idempotent, CancellationToken cancellationToken)
    {
        using var _ = request;
        if (time.GetElapsedTime(time.GetTimestamp(), deadline) <= TimeSpan.Zero)
        {
            return DynatraceResponse.Transport("The request deadline passed before the request could be sent.");
        }

        var attempts = new AttemptLog();
        request.Options.Set(DynatraceRequestOptions.Deadline, deadline);
        request.Options.Set(DynatraceRequestOptions.Idempotent, idempotent);
        request.Options.Set(DynatraceRequestOptions.Attempts, attempts);
        request.Headers.UserAgent.Add(UserAgent);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        var client = factory.CreateClient(clientName);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return new DynatraceResponse((int)response.StatusCode, body, RetryHeaders.GetDelay(response, time.GetUtcNow()), null, attempts.Retries);
        }
        catch (TimeoutRejectedException)
        {
            return DynatraceResponse.Transport(Summary("No answer within the request deadline", attempts));
        }
        catch (HttpRequestException e)
        {
            return DynatraceResponse.Transport(Summary($"Connection failure ({e.HttpRequestError})", attempts));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DynatraceResponse.Transport(Summary("The HTTP client timed out", attempts));
        }
    }

    private static string Summary(string what, AttemptLog attempts) =>
        $"{what} after {attempts.Retries + 1} attempt(s)" + (attempts.LastFailure is { } last ? $"; last failure: {last}." : ".");
}
