using TokenFunctions.Engine.Sources;
using TokenFunctions.Engine.Sources.Http;
using TokenFunctions.Engine.Tests.Sources.Support;
using static TokenFunctions.Engine.Tests.Sources.Support.WebhookRequests;

namespace TokenFunctions.Engine.UnitTests.Sources;

public sealed class GitLabRevocationEndpointTests : IDisposable
{
    private readonly SourcesHarness _h = SourcesHarness.Create(s => s["Sources:GitLab:PermitsPerMinute"] = "3");

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Token_types_need_the_preshared_token()
    {
        var ok = (WebhookResult)await _h.GitLab.GetTokenTypesAsync(GitLab([], method: "GET"), CancellationToken.None);
        Assert.Equal(200, ok.StatusCode);
        Assert.Equal(["dynatrace_api_token"], ok.ReadBody(SourcesJsonContext.Default.GitLabTokenTypes)!.Types);
        Assert.Equal(401, Status(await _h.GitLab.GetTokenTypesAsync(GitLab([], authorization: null, method: "GET"), CancellationToken.None)));
        Assert.Equal(401, Status(await _h.GitLab.GetTokenTypesAsync(GitLab([], authorization: "wrong", method: "GET"), CancellationToken.None)));
        Assert.Equal(200, Status(await _h.GitLab.GetTokenTypesAsync(GitLab([], authorization: "Bearer " + SourcesHarness.GitLabToken, method: "GET"), CancellationToken.None)));
    }

    [Fact]
    public async Task Accepted_reports_are_204_whatever_the_outcome_and_idempotent()
    {
        var body = SamplePayloads.GitLab(("dynatrace_api_token", TestTokens.Classic(1)), ("dynatrace_api_token", "not-a-token"), ("other_type", TestTokens.Classic(2)));
        var first = await ExecuteAsync(await _h.GitLab.RevokeTokensAsync(GitLab(body), CancellationToken.None));
        Assert.Equal((204, string.Empty), (first.Status, first.Body));
        Assert.Equal(TestTokens.Id(1), Assert.Single(_h.Kill.AllLeaks).TokenId);

        _h.Kill.Behavior = (r, _) => Task.FromResult(RecordingKillService.Respond(r, Engine.Kill.TokenOutcomeKind.NotFound));
        var unknown = SamplePayloads.GitLab(("dynatrace_api_token", TestTokens.Classic(3)));
        var second = await ExecuteAsync(await _h.GitLab.RevokeTokensAsync(GitLab(unknown), CancellationToken.None));
        Assert.Equal(first.Status, second.Status);
        Assert.Equal(first.Body, second.Body);

        Assert.Equal(204, Status(await _h.GitLab.RevokeTokensAsync(GitLab(body), CancellationToken.None)));
        Assert.Equal(2, _h.Kill.CallCount); // the repeated report did not act again
    }

    [Fact]
    public async Task Beyond_the_quota_the_answer_is_429_until_time_passes()
    {
        var body = SamplePayloads.GitLab(("dynatrace_api_token", TestTokens.Classic(1)));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(204, Status(await _h.GitLab.RevokeTokensAsync(GitLab(body), CancellationToken.None)));
        }

        var limited = (WebhookResult)await _h.GitLab.RevokeTokensAsync(GitLab(body), CancellationToken.None);
        Assert.Equal(429, limited.StatusCode);
        Assert.NotNull(limited.RetryAfter);
        Assert.Equal(1, _h.Metrics.SignatureFailures(SourceNames.GitLab, "rate_limited"));

        _h.Time.Advance(TimeSpan.FromSeconds(21));
        Assert.Equal(204, Status(await _h.GitLab.RevokeTokensAsync(GitLab(body), CancellationToken.None)));
    }

    [Fact]
    public async Task Unauthenticated_requests_do_not_spend_the_quota()
    {
        var body = SamplePayloads.GitLab(("dynatrace_api_token", TestTokens.Classic(1)));
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(401, Status(await _h.GitLab.RevokeTokensAsync(GitLab(body, authorization: "nope"), CancellationToken.None)));
        }

        Assert.Equal(204, Status(await _h.GitLab.RevokeTokensAsync(GitLab(body), CancellationToken.None)));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[{\"type\":\"dynatrace_api_token\"}]")]
    [InlineData("[{\"token\":\"x\"}]")]
    [InlineData("not json")]
    public async Task Malformed_reports_are_400_do_not_retry(string json)
    {
        Assert.Equal(400, Status(await _h.GitLab.RevokeTokensAsync(GitLab(Utf8(json)), CancellationToken.None)));
        Assert.Equal(0, _h.Kill.CallCount);
    }

    [Fact]
    public async Task A_failed_hand_off_is_5xx_and_the_token_is_accepted_again_on_retry()
    {
        _h.Kill.Behavior = (r, _) => Task.FromResult(RecordingKillService.Respond(r, Engine.Kill.TokenOutcomeKind.Failed));
        _h.Queue.Fail = true;
        var body = SamplePayloads.GitLab(("dynatrace_api_token", TestTokens.Classic(1)));
        Assert.Equal(503, Status(await _h.GitLab.RevokeTokensAsync(GitLab(body), CancellationToken.None)));
        _h.Queue.Fail = false;
        Assert.Equal(204, Status(await _h.GitLab.RevokeTokensAsync(GitLab(body), CancellationToken.None)));
        Assert.Equal([TestTokens.Id(1).Value], Assert.Single(_h.Queue.Disables).Tokens);
    }
}
