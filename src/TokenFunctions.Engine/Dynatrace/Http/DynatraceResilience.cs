using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace TokenFunctions.Engine.Dynatrace.Http;

/// <summary>
/// The pipeline every Dynatrace call runs through: an outer timeout at the operation's deadline, retries with exponential
/// backoff and jitter (or the server's <c>Retry-After</c> / <c>X-RateLimit-Reset</c>), and a per-attempt timeout.
/// Retried: 429, 5xx, attempt timeouts and connection failures. Never retried: other 4xx, and for non-idempotent requests
/// (creates) anything but a 429 or a refused connection. No circuit breaker: a kill must always try.
/// </summary>
internal static class DynatraceResilience
{
    public const string PipelineName = "dynatrace";

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, DynatraceOptions options, TimeProvider time, ILogger logger)
    {
        builder.TimeProvider = time;
        builder.AddTimeout(new TimeoutStrategyOptions
        {
            Name = "deadline",
            TimeoutGenerator = args => ValueTask.FromResult(Remaining(args.Context, time, options.RequestDeadline)),
        });
        builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            Name = "retry",
            MaxRetryAttempts = options.MaxRetryAttempts,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.RetryBaseDelay,
            MaxDelay = options.RetryMaxDelay,
            ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context, time, options.RequestDeadline)),
            DelayGenerator = args => ValueTask.FromResult(HeaderDelay(args.Outcome, time)),
            OnRetry = args =>
            {
                var failure = Describe(args.Outcome);
                var request = args.Context.GetRequestMessage();
                if (request is not null && request.Options.TryGetValue(DynatraceRequestOptions.Attempts, out var log))
                {
                    log.Retried(failure);
                }

                DynatraceLog.Retrying(logger, request?.Method.Method ?? "?", request?.RequestUri?.AbsolutePath ?? "?", failure, args.AttemptNumber + 1, args.RetryDelay);
                return ValueTask.CompletedTask;
            },
        });
        builder.AddTimeout(new HttpTimeoutStrategyOptions { Name = "attempt", Timeout = options.AttemptTimeout });
    }

    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, TimeProvider time, TimeSpan defaultDeadline)
    {
        var request = context.GetRequestMessage();
        var idempotent = request is null || !request.Options.TryGetValue(DynatraceRequestOptions.Idempotent, out var flag) || flag;
        if (outcome.Exception is { } exception)
        {
            return exception switch
            {
                OperationCanceledException => false,
                HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } => true,
                HttpRequestException or TimeoutRejectedException => idempotent,
                _ => false,
            };
        }

        var response = outcome.Result!;
        var status = (int)response.StatusCode;
        if (status != 429 && !(idempotent && status >= 500))
        {
            return false;
        }

        // When the server asks us to wait past the deadline, give up now rather than time out waiting.
        return RetryHeaders.GetDelay(response, time.GetUtcNow()) is not { } wait
            || wait < Remaining(context, time, defaultDeadline);
    }

    private static TimeSpan? HeaderDelay(Outcome<HttpResponseMessage> outcome, TimeProvider time)
    {
        if (outcome.Result is not { } response || RetryHeaders.GetDelay(response, time.GetUtcNow()) is not { } wait)
        {
            return null;
        }

        // Come back a little after the server's time, spread so a burst of callers does not return in lockstep.
        return wait + TimeSpan.FromMilliseconds(Random.Shared.Next(10, 100));
    }

    internal static TimeSpan Remaining(ResilienceContext context, TimeProvider time, TimeSpan defaultDeadline)
    {
        if (context.GetRequestMessage()?.Options.TryGetValue(DynatraceRequestOptions.Deadline, out var deadline) != true)
        {
            return defaultDeadline;
        }

        var remaining = time.GetElapsedTime(time.GetTimestamp(), deadline);

        // Polly treats a zero timeout as "none"; a spent budget must still time out.
        return remaining > TimeSpan.FromMilliseconds(1) ? remaining : TimeSpan.FromMilliseconds(1);
    }

    private static string Describe(Outcome<HttpResponseMessage> outcome) => outcome.Exception switch
    {
        null => $"HTTP {(int)outcome.Result!.StatusCode}",
        TimeoutRejectedException => "attempt timed out",
        HttpRequestException h => $"connection failure ({h.HttpRequestError})",
        var e => e.GetType().Name,
    };
}
