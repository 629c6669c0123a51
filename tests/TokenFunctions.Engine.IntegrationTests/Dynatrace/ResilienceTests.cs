using System.Diagnostics;
using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.IntegrationTests.Dynatrace;

/// <summary>Retries, backoff and the deadline against injected faults (config: 6 s deadline, 2 s attempts unless a test narrows them).</summary>
public sealed class ResilienceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]

    [InlineData(500)]

    [InlineData(502)]

    [InlineData(503)]

    [InlineData(504)]
    public async Task A_5xx_is_retried_until_success(int status)
    {
        await using var s = await EnvironmentScenario.StartAsync();
        var token = s.Environment.AddToken();
        s.Environment.Faults.Enqueue(SandboxFault.Status(status), times: 2);

        var result = await s.Client.SetEnabledAsync(TokenId.Parse(token.Id), enabled: false, Ct);

        Assert.True(result.IsOk, result.Error?.ToString());
        Assert.Equal([status, status, 204], Calls(s, SandboxEndpoint.ApiTokensUpdate).Select(c => c.StatusCode));
        Assert.False(s.Environment.GetToken(token.Id)!.Enabled);
    }

    [Fact]
    public async Task A_persistent_503_ends_as_Transient_within_the_deadline()
    {
        // Enough retries that the deadline, not the retry count, ends it.
        await using var s = await EnvironmentScenario.StartAsync(configure: c => c
            .Set("Dynatrace:RequestDeadline", "00:00:02").Set("Dynatrace:AttemptTimeout", "00:00:00.500").Set("Dynatrace:MaxRetryAttempts", "100"));
        var token = s.Environment.AddToken();
        s.Environment.Faults.SetPersistent(SandboxFault.Status(503));

        var watch = Stopwatch.StartNew();
        var result = await s.Client.SetEnabledAsync(TokenId.Parse(token.Id), enabled: false, Ct);
        watch.Stop();

        Assert.Equal(DynatraceStatus.Transient, result.Status);
        Assert.True(s.Environment.CallCount(SandboxEndpoint.ApiTokensUpdate) >= 3, "retried with backoff");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.Contains("deadline", result.Error!.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("HTTP 503", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_retries_run_out_first_the_last_answer_is_reported_with_the_attempt_count()
    {
        await using var s = await EnvironmentScenario.StartAsync(configure: c => c.Set("Dynatrace:MaxRetryAttempts", "2"));
        var token = s.Environment.AddToken();
        s.Environment.Faults.SetPersistent(SandboxFault.Status(502));

        var result = await s.Client.GetAsync(TokenId.Parse(token.Id), Ct);

        Assert.Equal(DynatraceStatus.Transient, result.Status);
        Assert.Equal(502, result.Error!.HttpStatus);
        Assert.EndsWith("(after 3 attempts)", result.Error.Message, StringComparison.Ordinal);
        Assert.Equal(3, s.Environment.CallCount(SandboxEndpoint.ApiTokensGet));
    }

    [Fact]
    public async Task A_connection_reset_is_retried()
    {
        await using var s = await EnvironmentScenario.StartAsync();
        var token = s.Environment.AddToken();
        s.Environment.Faults.Enqueue(SandboxFault.Reset);

        var result = await s.Client.SetEnabledAsync(TokenId.Parse(token.Id), enabled: false, Ct);

        Assert.True(result.IsOk, result.Error?.ToString());
        Assert.Equal(2, s.Environment.CallCount(SandboxEndpoint.ApiTokensUpdate));
        Assert.False(s.Environment.GetToken(token.Id)!.Enabled);
    }

    [Fact]
    public async Task Persistent_connection_resets_end_as_Transient()
    {
        await using var s = await EnvironmentScenario.StartAsync(configure: c => c.Set("Dynatrace:RequestDeadline", "00:00:01.500").Set("Dynatrace:AttemptTimeout", "00:00:00.500"));
        var token = s.Environment.AddToken();
        s.Environment.Faults.SetPersistent(SandboxFault.Reset);

        var result = await s.Client.GetAsync(TokenId.Parse(token.Id), Ct);

        Assert.Equal(DynatraceStatus.Transient, result.Status);
        Assert.Equal(0, result.Error!.HttpStatus);
        Assert.True(s.Environment.CallCount(SandboxEndpoint.ApiTokensGet) >= 2);
    }

    [Fact]
    public async Task A_hung_request_times_out_per_attempt_and_the_retry_succeeds()
    {
        await using var s = await EnvironmentScenario.StartAsync(configure: c => c.Set("Dynatrace:AttemptTimeout", "00:00:01"));
        var token = s.Environment.AddToken();
        s.Environment.Faults.Enqueue(SandboxFault.Hang);

        var result = await s.Client.SetEnabledAsync(TokenId.Parse(token.Id), enabled: false, Ct);

        Assert.True(result.IsOk, result.Error?.ToString());
        Assert.Equal(2, s.Environment.CallCount(SandboxEndpoint.ApiTokensUpdate));
    }

    [Fact]
    public async Task A_server_that_never_answers_ends_as_Transient_at_the_deadline()
    {
        await using var s = await EnvironmentScenario.StartAsync(configure: c => c.Set("Dynatrace:RequestDeadline", "00:00:01.500").Set("Dynatrace:AttemptTimeout", "00:00:00.500"));
        var token = s.Environment.AddToken();
        s.Environment.Faults.SetPersistent(SandboxFault.Hang);

        var watch = Stopwatch.StartNew();
        var result = await s.Client.SetEnabledAsync(TokenId.Parse(token.Id), enabled: false, Ct);

        Assert.Equal(DynatraceStatus.Transient, result.Status);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4.5), $"took {watch.Elapsed}");
        Assert.Contains("attempt timed out", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Added_latency_below_the_attempt_timeout_is_tolerated()
    {
        await using var s = await EnvironmentScenario.StartAsync();
        var token = s.Environment.AddToken();
        s.Environment.Faults.Latency = TimeSpan.FromMilliseconds(300);

        var result = await s.Client.GetAsync(TokenId.Parse(token.Id), Ct);

        Assert.True(result.IsOk, result.Error?.ToString());
        Assert.Equal(1, s.Environment.CallCount(SandboxEndpoint.ApiTokensGet));
    }

    [Theory]

    [InlineData(400, DynatraceStatus.BadRequest)]

    [InlineData(401, DynatraceStatus.Unauthorized)]

    [InlineData(403, DynatraceStatus.Forbidden)]

    [InlineData(404, DynatraceStatus.NotFound)]

    [InlineData(409, DynatraceStatus.BadRequest)]

    [InlineData(408, DynatraceStatus.BadRequest)]
    public async Task A_4xx_other_than_429_is_never_retried(int status, DynatraceStatus expected)
    {
        await using var s = await EnvironmentScenario.StartAsync();
        var token = s.Environment.AddToken();
        s.Environment.Faults.Enqueue(SandboxFault.Status(status));

        var result = await s.Client.SetEnabledAsync(TokenId.Parse(token.Id), enabled: false, Ct);

        Assert.Equal(expected, result.Status);
        Assert.Equal(status, result.Error!.HttpStatus);
        Assert.Equal(1, s.Environment.CallCount(SandboxEndpoint.ApiTokensUpdate));
    }

    [Fact]
    public async Task A_create_is_not_retried_after_a_5xx_because_the_token_may_exist()
    {
        await using var s = await EnvironmentScenario.StartAsync();
        s.Environment.Faults.Enqueue(SandboxFault.Status(503));

        var result = await s.Client.CreateAsync(new ApiTokenCreateRequest("replacement", ["metrics.ingest"]), Ct);

        Assert.Equal(DynatraceStatus.Transient, result.Status);
        Assert.Contains("may have been created", result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(1, s.Environment.CallCount(SandboxEndpoint.ApiTokensCreate));
    }

    [Fact]
    public async Task A_create_is_retried_after_a_429()
    {
        await using var s = await EnvironmentScenario.StartAsync();
        s.Environment.Faults.Enqueue(SandboxFault.TooManyRequests());

        var result = await s.Client.CreateAsync(new ApiTokenCreateRequest("replacement", ["metrics.ingest"]), Ct);

        Assert.True(result.IsOk, result.Error?.ToString());
        Assert.Equal(2, s.Environment.CallCount(SandboxEndpoint.ApiTokensCreate));
        Assert.Equal(2, s.Environment.TokenCount);
    }

    private static List<SandboxRequest> Calls(EnvironmentScenario s, SandboxEndpoint endpoint) =>
        [.. s.Sandbox.Requests.Where(r => r.Endpoint == endpoint)];
}
