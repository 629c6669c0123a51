using TokenFunctions.Engine.Sources;
using TokenFunctions.Engine.Sources.Http;
using TokenFunctions.Engine.Tests.Sources.Support;
using static TokenFunctions.Engine.Tests.Sources.Support.WebhookRequests;

namespace TokenFunctions.Engine.UnitTests.Sources;

public sealed class GenericWebhookEndpointTests : IDisposable
{
    private readonly SourcesHarness _h = SourcesHarness.Create();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Tokens_ids_and_embedded_tokens_are_disabled_and_the_rest_counted()
    {
        var body = SamplePayloads.Generic([TestTokens.Classic(1), TestTokens.Id(2).Value, "found: " + TestTokens.Classic(3) + " in .env", "nothing here"], environment: "prod");
        var result = (WebhookResult)await _h.Generic.HandleAsync(Generic(body, _h.NowUnix), CancellationToken.None);

        var (status, text, _) = await ExecuteAsync(result);
        Assert.Equal(200, status);
        var leaks = _h.Kill.AllLeaks.ToList();
        Assert.Equal([TestTokens.Id(1), TestTokens.Id(2), TestTokens.Id(3)], leaks.Select(l => l.TokenId).ToArray());
        Assert.NotNull(leaks[0].Secret);
        Assert.Null(leaks[1].Secret);
        Assert.All(leaks, l => Assert.Equal("prod", l.OwnerHint));
        Assert.All(leaks, l => Assert.Equal("evt-1", l.CorrelationId));
        Assert.All(leaks, l => Assert.Equal("generic:trufflehog", l.RequestedBy));
        var summary = result.ReadBody(SourcesJsonContext.Default.OutcomeSummary)!;
        Assert.Equal((3, 1), (summary.Disabled, summary.Ignored));
        Assert.DoesNotContain(TestTokens.SecretPart(1), text, StringComparison.Ordinal);
        Assert.DoesNotContain(TestTokens.SecretPart(3), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_signed_request_again_is_a_replay()
    {
        var body = SamplePayloads.Generic([TestTokens.Classic(1)]);
        var now = _h.NowUnix;
        Assert.Equal(200, Status(await _h.Generic.HandleAsync(Generic(body, now), CancellationToken.None)));
        Assert.Equal(409, Status(await _h.Generic.HandleAsync(Generic(body, now), CancellationToken.None)));
        Assert.Equal(1, _h.Metrics.SignatureFailures(SourceNames.Generic, "replay"));
        Assert.Equal(1, _h.Kill.CallCount);
    }

    [Fact]
    public async Task A_re_signed_report_with_a_known_id_is_a_duplicate_without_acting()
    {
        var body = SamplePayloads.Generic([TestTokens.Classic(1)], id: "evt-dup");
        Assert.Equal(200, Status(await _h.Generic.HandleAsync(Generic(body, _h.NowUnix), CancellationToken.None)));
        _h.Time.Advance(TimeSpan.FromSeconds(5));
        var again = (WebhookResult)await _h.Generic.HandleAsync(Generic(body, _h.NowUnix), CancellationToken.None);
        Assert.Equal((200, "duplicate"), (again.StatusCode, again.Reason));
        Assert.Equal(1, _h.Kill.CallCount);
    }

    [Fact]
    public async Task Reports_without_id_are_not_deduplicated_beyond_the_signature()
    {
        var body = SamplePayloads.Generic([TestTokens.Classic(1)], id: null);
        Assert.Equal(200, Status(await _h.Generic.HandleAsync(Generic(body, _h.NowUnix), CancellationToken.None)));
        _h.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(200, Status(await _h.Generic.HandleAsync(Generic(body, _h.NowUnix), CancellationToken.None)));
        Assert.Equal(2, _h.Kill.CallCount);
    }

    [Fact]
    public async Task A_failed_hand_off_releases_both_claims_so_a_retry_is_processed()
    {
        _h.Kill.Behavior = (r, _) => Task.FromResult(RecordingKillService.Respond(r, Engine.Kill.TokenOutcomeKind.Failed));
        _h.Queue.Fail = true;
        var body = SamplePayloads.Generic([TestTokens.Classic(1)], id: "evt-retry");
        var now = _h.NowUnix;
        Assert.Equal(503, Status(await _h.Generic.HandleAsync(Generic(body, now), CancellationToken.None)));
        _h.Queue.Fail = false;
        Assert.Equal(200, Status(await _h.Generic.HandleAsync(Generic(body, now), CancellationToken.None)));
        Assert.Single(_h.Queue.Disables);
    }

    [Theory]
    [InlineData("{\"tokens\":[]}")]
    [InlineData("{\"tokens\":[\"\"]}")]
    [InlineData("{\"tokens\":null}")]
    [InlineData("{\"id\":\"x\"}")]
    [InlineData("[]")]
    [InlineData("{\"tokens\":[\"a\"],\"tokens\":[\"b\"]}")]
    [InlineData("{\"tokens\":[\"a\"]")]
    public async Task Signed_but_invalid_reports_are_400(string json)
    {
        var body = Utf8(json);
        Assert.Equal(400, Status(await _h.Generic.HandleAsync(Generic(body, _h.NowUnix), CancellationToken.None)));
        Assert.Equal(0, _h.Kill.CallCount);
    }

    [Fact]
    public async Task Stale_or_missing_timestamps_are_401()
    {
        var body = SamplePayloads.Generic([TestTokens.Classic(1)]);
        Assert.Equal(401, Status(await _h.Generic.HandleAsync(Generic(body, _h.NowUnix - 301), CancellationToken.None)));
        var missing = Generic(body, _h.NowUnix);
        missing.Headers.Remove("X-TokenFunctions-Timestamp");
        Assert.Equal(401, Status(await _h.Generic.HandleAsync(missing, CancellationToken.None)));
        Assert.Equal(1, _h.Metrics.SignatureFailures(SourceNames.Generic, "stale_timestamp"));
        Assert.Equal(1, _h.Metrics.SignatureFailures(SourceNames.Generic, "missing_timestamp"));
        Assert.Equal(0, _h.Kill.CallCount);
    }
}
