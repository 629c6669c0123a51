using System.Net;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.Timeout;
using TokenFunctions.Engine.Dynatrace.Http;

namespace TokenFunctions.Engine.UnitTests.Dynatrace;

/// <summary>Which outcomes the pipeline retries; the waits themselves are exercised against the sandbox.</summary>
public sealed class ShouldRetryTests
{
    private readonly FakeTimeProvider _time = new();

    [Theory]
    [InlineData(429, true, true)]
    [InlineData(500, true, true)]
    [InlineData(503, true, true)]
    [InlineData(400, true, false)]
    [InlineData(401, true, false)]
    [InlineData(403, true, false)]
    [InlineData(404, true, false)]
    [InlineData(408, true, false)]
    [InlineData(204, true, false)]
    [InlineData(429, false, true)]
    [InlineData(503, false, false)]
    public void Retries_429_always_and_5xx_only_when_idempotent(int status, bool idempotent, bool expected)
    {
        var (context, request) = Context(idempotent, TimeSpan.FromSeconds(8));
        var response = new HttpResponseMessage((HttpStatusCode)status) { RequestMessage = request };

        Assert.Equal(expected, DynatraceResilience.ShouldRetry(Outcome.FromResult(response), context, _time, TimeSpan.FromSeconds(8)));
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void Timeouts_and_broken_connections_are_retried_only_when_idempotent(bool idempotent, bool expected)
    {
        var (context, _) = Context(idempotent, TimeSpan.FromSeconds(8));

        Assert.Equal(expected, DynatraceResilience.ShouldRetry(Outcome.FromException<HttpResponseMessage>(new TimeoutRejectedException()), context, _time, TimeSpan.FromSeconds(8)));
        Assert.Equal(expected, DynatraceResilience.ShouldRetry(Outcome.FromException<HttpResponseMessage>(new HttpRequestException(HttpRequestError.ResponseEnded)), context, _time, TimeSpan.FromSeconds(8)));
    }

    [Fact]
    public void A_refused_connection_is_retried_even_for_a_create_because_nothing_was_sent()
    {
        var (context, _) = Context(idempotent: false, TimeSpan.FromSeconds(8));

        Assert.True(DynatraceResilience.ShouldRetry(Outcome.FromException<HttpResponseMessage>(new HttpRequestException(HttpRequestError.ConnectionError)), context, _time, TimeSpan.FromSeconds(8)));
        Assert.False(DynatraceResilience.ShouldRetry(Outcome.FromException<HttpResponseMessage>(new OperationCanceledException()), context, _time, TimeSpan.FromSeconds(8)));
    }

    [Theory]
    [InlineData(3, true)]
    [InlineData(30, false)]
    public void A_server_wait_beyond_the_remaining_budget_is_not_waited_for(int retryAfterSeconds, bool expected)
    {
        var (context, request) = Context(idempotent: true, TimeSpan.FromSeconds(8));
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { RequestMessage = request };
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(retryAfterSeconds));

        Assert.Equal(expected, DynatraceResilience.ShouldRetry(Outcome.FromResult(response), context, _time, TimeSpan.FromSeconds(8)));
    }

    [Fact]
    public void The_remaining_budget_shrinks_with_time_and_never_reaches_zero()
    {
        var (context, _) = Context(idempotent: true, TimeSpan.FromSeconds(8));

        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(TimeSpan.FromSeconds(3), DynatraceResilience.Remaining(context, _time, TimeSpan.FromSeconds(8)));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.FromMilliseconds(1), DynatraceResilience.Remaining(context, _time, TimeSpan.FromSeconds(8)));
    }

    private (ResilienceContext Context, HttpRequestMessage Request) Context(bool idempotent, TimeSpan budget)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, "https://abc.live.dynatrace.com/api/v2/apiTokens/x");
        request.Options.Set(DynatraceRequestOptions.Idempotent, idempotent);
        request.Options.Set(DynatraceRequestOptions.Deadline, _time.GetTimestamp() + (long)(budget.TotalSeconds * _time.TimestampFrequency));
        var context = ResilienceContextPool.Shared.Get(TestContext.Current.CancellationToken);
        context.SetRequestMessage(request);
        return (context, request);
    }
}
