using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.IntegrationTests.Dynatrace;

/// <summary>429 handling: Retry-After, X-RateLimit-Reset in every unit, token-bucket limits and the deadline override.</summary>
public sealed class RateLimitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_429_with_Retry_After_seconds_is_retried_no_earlier_than_asked()
    {
        await using var s = await EnvironmentScenario.StartAsync();
        var token = s.Environment.AddToken();
        s.Environment.Faults.Enqueue(SandboxFault.TooManyRequests(TimeSpan.FromSeconds(1)));

        var result = await s.Client.SetEnabledAsync(TokenId.Parse(token.Id), enabled: false, Ct);

        Assert.True(result.IsOk, result.Error?.ToString());
        var calls = Calls(s, SandboxEndpoint.ApiTokensUpdate);
        Assert.Equal([429, 204], calls.Select(c => c.StatusCode));
        Assert.True(calls[1].Elapsed - calls[0].Elapsed >= TimeSpan.FromSeconds(1), $"retried after {calls[1].Elapsed - calls[0].Elapsed}");
    }

    [Fact]
    public async Task A_429_with_Retry_After_as_an_HTTP_date_is_honoured()
    {
        await using var s = await EnvironmentScenario.StartAsync();
        var token = s.Environment.AddToken();
        s.Environment.Faults.Enqueue(SandboxFault.TooManyRequestsUntilDate(TimeSpan.FromSeconds(2)));

        var result = await s.Client.GetAsync(TokenId.Parse(token.Id), Ct);

        Assert.True(result.IsOk, result.Error?.ToString());
        var calls = Calls(s, SandboxEndpoint.ApiTokensGet);
        Assert.Equal(2, calls.Count);

        // An HTTP date has whole seconds: "in 2 s" may be read as just over 1 s, never as the 50 ms backoff.
        Assert.True(calls[1].Elapsed - calls[0].Elapsed >= TimeSpan.FromSeconds(0.9), $"retried after {calls[1].Elapsed - calls[0].Elapsed}");
    }

    [Theory]

    [InlineData(RateLimitResetUnit.Microseconds)]

    [InlineData(RateLimitResetUnit.Milliseconds)]

    [InlineData(RateLimitResetUnit.Seconds)]
    public async Task A_429_with_X_RateLimit_Reset_in_any_unit_waits_for_the_reset(RateLimitResetUnit unit)
    {
        await using var s = await EnvironmentScenario.StartAsync();
        var token = s.Environment.AddToken();
        s.Environment.Faults.Enqueue(SandboxFault.TooManyRequestsWithReset(TimeSpan.FromSeconds(1.5), unit));

        var result = await s.Client.GetAsync(TokenId.Parse(token.Id), Ct);

        Assert.True(result.IsOk, result.Error?.ToString());
        var calls = Calls(s, SandboxEndpoint.ApiTokensGet);
        Assert.Equal(2, calls.Count);

        // Whole-second resolution in the seconds case; a misread magnitude would mean ~0 s or ~years.
        Assert.InRange(calls[1].Elapsed - calls[0].Elapsed, TimeSpan.FromSeconds(0.45), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task A_429_without_headers_is_retried_with_backoff()
    {
        await using var s = await EnvironmentScenario.StartAsync();
        var token = s.Environment.AddToken();
        s.Environment.Faults.Enqueue(SandboxFault.TooManyRequests(), times: 2);

        var result = await s.Client.SetEnabledAsync(TokenId.Parse(token.Id), enabled: false, Ct);

        Assert.True(result.IsOk, result.Error?.ToString());
        Assert.Equal([429, 429, 204], Calls(s, SandboxEndpoint.ApiTokensUpdate).Select(c => c.StatusCode));
    }

    [Fact]
    public async Task A_Retry_After_beyond_the_deadline_gives_up_at_once_and_reports_the_wait()
    {
        await using var s = await EnvironmentScenario.StartAsync();
        var token = s.Environment.AddToken();
        s.Environment.Faults.Enqueue(SandboxFault.TooManyRequests(TimeSpan.FromSeconds(60)));

        var result = await s.Client.SetEnabledAsync(TokenId.Parse(token.Id), enabled: false, Ct);

        Assert.Equal(DynatraceStatus.Transient, result.Status);
        Assert.Equal(429, result.Error!.HttpStatus);
        Assert.InRange(result.Error.RetryAfter!.Value, TimeSpan.FromSeconds(58), TimeSpan.FromSeconds(60));
        Assert.Equal(1, s.Environment.CallCount(SandboxEndpoint.ApiTokensUpdate));
    }

    [Fact]
    public async Task Under_a_token_bucket_rate_limit_every_call_completes()
    {
        await using var s = await EnvironmentScenario.StartAsync(configure: c => c.Set("Dynatrace:RequestDeadline", "00:00:08"));
        var tokens = s.Environment.AddTokens(30);
        s.Environment.Faults.SetRateLimit(permitsPerSecond: 25, burst: 5);

        var results = await Task.WhenAll(tokens.Select(t => s.Client.SetEnabledAsync(TokenId.Parse(t.Id), enabled: false, Ct)));

        Assert.All(results, r => Assert.True(r.IsOk, r.Error?.ToString()));
        Assert.All(tokens, t => Assert.False(s.Environment.GetToken(t.Id)!.Enabled));
        Assert.Contains(s.Sandbox.Requests, r => r.StatusCode == 429);
    }

    [Fact]
    public async Task A_rate_limit_with_Retry_After_hints_is_followed()
    {
        await using var s = await EnvironmentScenario.StartAsync(configure: c => c.Set("Dynatrace:RequestDeadline", "00:00:08"));
        var tokens = s.Environment.AddTokens(10);
        s.Environment.Faults.SetRateLimit(permitsPerSecond: 10, burst: 2, SandboxRateLimitHint.RateLimitReset);

        var results = await Task.WhenAll(tokens.Select(t => s.Client.GetAsync(TokenId.Parse(t.Id), Ct)));

        Assert.All(results, r => Assert.True(r.IsOk, r.Error?.ToString()));
        Assert.Contains(s.Sandbox.Requests, r => r.StatusCode == 429);
    }

    [Fact]
    public async Task A_wider_request_deadline_lets_a_long_retry_after_through()
    {
        await using var s = await EnvironmentScenario.StartAsync(configure: c => c.Set("Dynatrace:RequestDeadline", "00:00:06").Set("Dynatrace:AttemptTimeout", "00:00:01"));
        var token = s.Environment.AddToken();
        s.Environment.Faults.Enqueue(SandboxFault.TooManyRequests(TimeSpan.FromSeconds(2)));

        var result = await s.Client.GetAsync(TokenId.Parse(token.Id), Ct);

        Assert.True(result.IsOk, result.Error?.ToString());
        Assert.Equal(2, s.Environment.CallCount(SandboxEndpoint.ApiTokensGet));
    }


    private static List<SandboxRequest> Calls(EnvironmentScenario s, SandboxEndpoint endpoint) =>
        [.. s.Sandbox.Requests.Where(r => r.Endpoint == endpoint)];
}
