using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;
using TokenFunctions.Engine.Tokens;
using TokenFunctions.Engine.UnitTests.Tokens;

namespace TokenFunctions.Engine.UnitTests.Kill;

public sealed class KillAuditAndMetricsTests
{
    [Fact]
    public async Task Each_decision_is_audited_with_its_blast_radius_and_without_the_secret()
    {
        using var h = new KillHarness(environments: 2);
        var secret = TestTokens.RandomClassicSecret(1);
        h.Environments[1].Add(secret);
        var leak = Leak.FromSecret(secret, "github-alert", "alert-42") with
        {
            Reason = "public repository",
            Location = "https://github.com/acme/app/blob/main/.env",
            RequestedBy = "github",
        };

        await h.DisableAsync(leak);

        var record = Assert.Single(h.Audit.Records);
        Assert.Equal(h.Time.GetUtcNow(), record.Timestamp);
        Assert.Equal("github-alert", record.Source);
        Assert.Equal("alert-42", record.CorrelationId);
        Assert.Equal("disable", record.Action);
        Assert.Equal("Disabled", record.Outcome);
        Assert.Equal(secret.Id, record.TokenId);
        Assert.Equal(TokenKind.ClassicApiToken, record.TokenKind);
        Assert.Equal(secret.Fingerprint, record.Fingerprint);
        Assert.Equal("env2", record.Owner);
        Assert.Equal(TimeSpan.Zero, record.Latency); // the fake clock does not move by itself
        Assert.Equal("github", record.RequestedBy);
        Assert.False(record.DryRun);
        Assert.Contains("public repository", record.Detail, StringComparison.Ordinal);
        Assert.Contains("https://github.com/acme/app/blob/main/.env", record.Detail, StringComparison.Ordinal);
        Assert.NotNull(record.BlastRadius);
        Assert.Equal("owner@env2", record.BlastRadius.TokenOwner);
        Assert.Equal(["metrics.read", "logs.ingest"], record.BlastRadius.Scopes);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 8, 30, 0, TimeSpan.Zero), record.BlastRadius.LastUsedDate);
        Assert.Equal("203.0.113.7", record.BlastRadius.LastUsedIpAddress);
        Assert.StartsWith("token ", record.BlastRadius.Name, StringComparison.Ordinal);

        var text = JsonSerializer.Serialize(record) + record;
        Assert.DoesNotContain(TestTokens.SecretPart(secret.Reveal()), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_platform_tokens_blast_radius_comes_from_the_account_when_it_is_listed()
    {
        var platform = TokenSecret.Parse(TestTokens.RandomPlatform(2));

        // A live kill writes without listing (so no metadata); a dry run lists to find the owner and keeps what it read.
        using var live = new KillHarness(accounts: 1);
        live.Accounts[0].Add(platform.Id);
        await live.DisableAsync(Leak.FromSecret(platform, "s", "c"));
        Assert.Null(Assert.Single(live.Audit.Records).BlastRadius);

        using var h = new KillHarness(accounts: 1);
        h.Settings["DryRun"] = "true";
        h.Accounts[0].Add(platform.Id);
        await h.DisableAsync(Leak.FromSecret(platform, "s", "c2"));
        var radius = Assert.Single(h.Audit.Records).BlastRadius!;
        Assert.Equal("user-account1", radius.TokenOwner);
        Assert.Equal(["storage:logs:read"], radius.Scopes);
        Assert.Equal("198.51.100.4", radius.LastUsedIpAddress);
    }

    [Fact]
    public async Task A_failing_audit_sink_does_not_fail_the_revocation_but_is_counted_and_logged()
    {
        using var h = new KillHarness();
        var secret = TestTokens.RandomClassicSecret(3);
        h.Environments[0].Add(secret);
        h.Audit.Failure = new InvalidOperationException("table storage down");

        var outcome = Assert.Single((await h.DisableAsync(Leak.FromSecret(secret, "github-alert", "c"))).Outcomes);

        Assert.Equal(TokenOutcomeKind.Disabled, outcome.Outcome);
        Assert.False(h.Environments[0].IsEnabled(secret.Id));
        // The one audit path decides: counted, kept in a fallback log line, and buffered for the retry service.
        var failure = Assert.Single(h.Metrics.Of("tokenfunctions.audit.failures"));
        Assert.Equal("error", failure.Tags["reason"]);
        var kept = Assert.Single(h.Logs.Entries, e => e.Message.StartsWith("AuditFallback", StringComparison.Ordinal));
        Assert.Contains(secret.Id.Value, kept.Message, StringComparison.Ordinal);
        Assert.Equal(1, h.Services.GetRequiredService<AuditRetryBuffer>().Count);
    }

    [Fact]
    public async Task Audit_records_are_written_in_groups_during_a_batch()
    {
        using var h = new KillHarness();
        h.Settings["InventoryThreshold"] = "0";
        var leaks = Enumerable.Range(0, 120).Select(i =>
        {
            var s = TestTokens.RandomClassicSecret(100 + i);
            h.Environments[0].Add(s);
            return Leak.FromSecret(s, "s", "c");
        }).ToArray();

        await h.DisableAsync(leaks);

        Assert.Equal(120, h.Audit.Records.Count);
        Assert.Equal(3, h.Audit.Writes);
        Assert.Equal(120, h.Audit.Records.Select(r => r.TokenId).Distinct().Count());
    }

    [Fact]
    public async Task Outcomes_are_counted_by_source_and_outcome()
    {
        using var h = new KillHarness();
        var found = TestTokens.RandomClassicSecret(4);
        h.Environments[0].Add(found);

        await h.DisableAsync(Leak.FromSecret(found, "github-alert", "c"), Leak.FromSecret(TestTokens.RandomClassicSecret(5), "gitguardian", "c"));

        var counts = h.Metrics.Of("tokenfunctions.tokens.outcomes").Select(m => (m.Tags["source"], m.Tags["outcome"], m.Value)).OrderBy(x => x.Item1, StringComparer.Ordinal).ToList();
        Assert.Equal([("gitguardian", "NotFound", 1d), ("github-alert", "Disabled", 1d)], counts);
    }

    [Fact]
    public async Task Alert_to_disabled_is_measured_from_the_detection_time()
    {
        using var h = new KillHarness();
        var secret = TestTokens.RandomClassicSecret(6);
        h.Environments[0].Add(secret);
        var leak = Leak.FromSecret(secret, "github-alert", "c") with { DetectedAt = h.Time.GetUtcNow().AddSeconds(-42) };
        var undated = TestTokens.RandomClassicSecret(7);
        h.Environments[0].Add(undated);

        await h.DisableAsync(leak, Leak.FromSecret(undated, "github-alert", "c"));

        var measurement = Assert.Single(h.Metrics.Of("tokenfunctions.alert_to_disabled.duration"));
        Assert.Equal(42, measurement.Value);
        Assert.Equal("github-alert", measurement.Tags["source"]);
    }

    [Fact]
    public async Task Decisions_are_logged_with_ids_and_fingerprints()
    {
        using var h = new KillHarness();
        var secret = TestTokens.RandomClassicSecret(8);
        h.Environments[0].Add(secret);

        await h.DisableAsync(Leak.FromSecret(secret, "github-alert", "corr-9"));

        var entry = Assert.Single(h.Logs.Entries, e => e.Message.StartsWith("Kill disable", StringComparison.Ordinal));
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Information, entry.Level);
        Assert.Contains(entry.Values, v => v.Key == "TokenId" && v.Value == secret.Id.Value);
        Assert.Contains(entry.Values, v => v.Key == "Fingerprint" && v.Value == secret.Fingerprint);
        Assert.Contains(entry.Values, v => v.Key == "CorrelationId" && v.Value == "corr-9");
        Assert.Contains(entry.Values, v => v.Key == "Outcome" && v.Value == "Disabled");
    }
}
