using Microsoft.Extensions.DependencyInjection;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Sources;
using TokenFunctions.Engine.Sources.GitGuardian;
using TokenFunctions.Engine.Sources.Http;
using TokenFunctions.Engine.Tests.Sources.Support;
using static TokenFunctions.Engine.Tests.Sources.Support.WebhookRequests;

namespace TokenFunctions.Engine.UnitTests.Sources;

public sealed class GitGuardianEndpointTests : IDisposable
{
    private readonly SourcesHarness _h = SourcesHarness.Create();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task An_incident_matching_a_managed_credential_disables_it_by_id()
    {
        var secret = TestTokens.Secret(11);
        _h.Credentials.Add(secret, owner: "prod-env");
        var body = SamplePayloads.GitGuardian(secretHash: secret.Fingerprint.ToUpperInvariant());

        var result = (WebhookResult)await _h.GitGuardian.HandleAsync(GitGuardian(body, _h.NowUnix), CancellationToken.None);

        Assert.Equal(200, result.StatusCode);
        var leak = Assert.Single(_h.Kill.AllLeaks);
        Assert.Equal(secret.Id, leak.TokenId);
        Assert.Null(leak.Secret);
        Assert.Equal("prod-env", leak.OwnerHint);
        Assert.Equal("incident-4711", leak.CorrelationId);
        Assert.Equal(secret.Fingerprint, Assert.Single(_h.Credentials.Lookups));
        Assert.Equal(1, result.ReadBody(SourcesJsonContext.Default.OutcomeSummary)!.Disabled);
    }

    [Fact]
    public async Task No_match_is_a_needs_human_audit_record_and_no_dynatrace_call()
    {
        var body = SamplePayloads.GitGuardian(secretHash: new string('a', 64));
        var result = (WebhookResult)await _h.GitGuardian.HandleAsync(GitGuardian(body, _h.NowUnix), CancellationToken.None);

        Assert.Equal(200, result.StatusCode);
        Assert.Equal(1, result.ReadBody(SourcesJsonContext.Default.OutcomeSummary)!.NeedsHuman);
        Assert.Equal(0, _h.Kill.CallCount);
        var record = Assert.Single(_h.Audit.Records);
        Assert.Equal(("NeedsHuman", SourceNames.GitGuardian, "incident-4711"), (record.Outcome, record.Source, record.CorrelationId));
    }

    [Fact]
    public async Task A_needs_human_kept_for_the_audit_retry_is_answered_and_one_that_cannot_even_be_kept_is_503()
    {
        using var h = SourcesHarness.Create(services: s => s.Configure<AuditOptions>(o => o.RetryBufferCapacity = 1));
        h.Audit.Failure = new InvalidOperationException("audit store down");

        var kept = SamplePayloads.GitGuardian(secretHash: new string('b', 64));
        Assert.Equal(200, Status(await h.GitGuardian.HandleAsync(GitGuardian(kept, h.NowUnix), CancellationToken.None)));
        Assert.Equal(1, h.Services.GetRequiredService<AuditRetryBuffer>().Count);

        // The retry buffer is full: the record would live only in a log line, so GitGuardian is asked to retry.
        h.Time.Advance(TimeSpan.FromSeconds(1));
        var lost = SamplePayloads.GitGuardian(secretHash: new string('c', 64));
        Assert.Equal(503, Status(await h.GitGuardian.HandleAsync(GitGuardian(lost, h.NowUnix), CancellationToken.None)));
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    public async Task Timestamps_outside_the_window_are_401(int offsetSeconds)
    {
        var body = SamplePayloads.GitGuardian(secretHash: TestTokens.Secret(1).Fingerprint);
        var result = await _h.GitGuardian.HandleAsync(GitGuardian(body, _h.NowUnix + offsetSeconds), CancellationToken.None);
        Assert.Equal(401, Status(result));
        Assert.Equal(1, _h.Metrics.SignatureFailures(SourceNames.GitGuardian, "stale_timestamp"));
        Assert.Equal(0, _h.Kill.CallCount);
    }

    [Fact]
    public async Task The_timestamp_is_part_of_the_key()
    {
        var body = SamplePayloads.GitGuardian(secretHash: TestTokens.Secret(1).Fingerprint);
        var request = GitGuardian(body, _h.NowUnix);
        request.Headers[GitGuardianEndpoint.TimestampHeader] = (_h.NowUnix - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(401, Status(await _h.GitGuardian.HandleAsync(request, CancellationToken.None)));
        Assert.Equal(1, _h.Metrics.SignatureFailures(SourceNames.GitGuardian, "bad_signature"));
    }

    [Fact]
    public async Task An_identical_request_is_a_replay()
    {
        var secret = TestTokens.Secret(12);
        _h.Credentials.Add(secret);
        var body = SamplePayloads.GitGuardian(secretHash: secret.Fingerprint);
        var now = _h.NowUnix;
        Assert.Equal(200, Status(await _h.GitGuardian.HandleAsync(GitGuardian(body, now), CancellationToken.None)));
        _h.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(409, Status(await _h.GitGuardian.HandleAsync(GitGuardian(body, now), CancellationToken.None)));
        Assert.Equal(1, _h.Kill.CallCount);
    }

    [Theory]
    [InlineData("incident_resolved", "dynatrace_token", "valid")]
    [InlineData("incident_assigned", "dynatrace_token", "valid")]
    [InlineData("incident_validity_changed", "dynatrace_token", "invalid")]
    [InlineData("incident_triggered", "aws_keys", "valid")]
    public async Task Irrelevant_events_are_acknowledged_and_ignored(string action, string detector, string validity)
    {
        var secret = TestTokens.Secret(13);
        _h.Credentials.Add(secret);
        var body = SamplePayloads.GitGuardian(action, secret.Fingerprint, detector, validity);
        var result = (WebhookResult)await _h.GitGuardian.HandleAsync(GitGuardian(body, _h.NowUnix), CancellationToken.None);
        Assert.Equal(200, result.StatusCode);
        Assert.Equal("ignored", result.ReadBody(SourcesJsonContext.Default.OutcomeSummary)!.Status);
        Assert.Equal(0, _h.Kill.CallCount);
        Assert.Empty(_h.Audit.Records);
    }

    [Fact]
    public async Task Validity_changed_to_valid_acts()
    {
        var secret = TestTokens.Secret(14);
        _h.Credentials.Add(secret);
        var body = SamplePayloads.GitGuardian("incident_validity_changed", secret.Fingerprint);
        Assert.Equal(200, Status(await _h.GitGuardian.HandleAsync(GitGuardian(body, _h.NowUnix), CancellationToken.None)));
        Assert.Equal(1, _h.Kill.CallCount);
    }

    [Theory]
    [InlineData("abc", null)]
    [InlineData(" ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789 ", "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789")]
    [InlineData("zz" + "cdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789", null)]
    public void Hashes_are_normalised_or_rejected(string input, string? expected) =>
        Assert.Equal(expected, GitGuardianEndpoint.NormalizeSha256(input));
}
