using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Dynatrace.Credentials;
using TokenFunctions.Engine.Rotation.Jobs;
using TokenFunctions.Engine.Tokens;
using TokenFunctions.Engine.UnitTests.Rotation.Support;

namespace TokenFunctions.Engine.UnitTests.Rotation;

public sealed class HygieneReportJobTests
{
    [Fact]
    public async Task Reports_tokens_that_never_expire_are_unused_or_are_disabled_but_not_deleted()
    {
        var h = new RotationHarness();
        var forever = h.Dynatrace.Issue(RotationHarness.Environment, TokenKind.ClassicApiToken, "forever", ["a"]);
        var expiring = h.Dynatrace.Issue(RotationHarness.Environment, TokenKind.ClassicApiToken, "expiring", ["a"], expiration: RotationHarness.Start + TimeSpan.FromDays(400));
        var disabled = h.Dynatrace.Issue(RotationHarness.Environment, TokenKind.ClassicApiToken, "disabled", ["a"], expiration: RotationHarness.Start + TimeSpan.FromDays(400));
        h.Dynatrace.Disable(disabled.Id);
        var busy = h.Dynatrace.Issue(RotationHarness.Environment, TokenKind.ClassicApiToken, "busy", ["a"], expiration: RotationHarness.Start + TimeSpan.FromDays(400));
        var platformIdle = h.Dynatrace.Issue(RotationHarness.Account, TokenKind.PlatformToken, "platform idle", ["a"], expiration: RotationHarness.Start + TimeSpan.FromDays(400));
        h.Time.Advance(TimeSpan.FromDays(100));
        busy.LastUsed = h.Time.GetUtcNow() - TimeSpan.FromDays(1);
        platformIdle.LastUsed = h.Time.GetUtcNow() - TimeSpan.FromDays(95);

        var report = await h.HygieneJob.RunAsync(CancellationToken.None);

        Assert.Contains(report.Of(HygieneIssue.NeverExpires), f => f.TokenId == forever.Id);
        Assert.DoesNotContain(report.Of(HygieneIssue.NeverExpires), f => f.TokenId == expiring.Id);
        Assert.Contains(report.Of(HygieneIssue.Unused), f => f.TokenId == forever.Id);
        Assert.Contains(report.Of(HygieneIssue.Unused), f => f.TokenId == expiring.Id);
        Assert.Contains(report.Of(HygieneIssue.Unused), f => f.TokenId == platformIdle.Id && f.Target == RotationHarness.Account);
        Assert.DoesNotContain(report.Of(HygieneIssue.Unused), f => f.TokenId == busy.Id);
        Assert.Contains(report.Of(HygieneIssue.DisabledNotDeleted), f => f.TokenId == disabled.Id);
        Assert.All(report.Findings, f => Assert.Equal(HygieneAction.None, f.Action));
        Assert.True(forever.Enabled); // report only by default

        // Every finding is one structured log line operators can query, naming the token by id only.
        var lines = h.HygieneLog.Collector.GetSnapshot().Where(r => r.Message.StartsWith("Hygiene finding", StringComparison.Ordinal)).ToList();
        Assert.Equal(report.Findings.Count, lines.Count);
        Assert.Contains(lines, r => r.StructuredState!.Any(kv => kv.Key == "TokenId" && kv.Value == disabled.Id.Value)
            && r.StructuredState!.Any(kv => kv.Key == "Issue" && kv.Value == nameof(HygieneIssue.DisabledNotDeleted)));
    }

    [Fact]
    public async Task Auto_disable_is_off_by_default_and_when_on_spares_managed_protected_and_management_tokens()
    {
        var h = new RotationHarness();
        h.CredentialProvider = new FakeCredentialProvider { Resolve = r => h.Vault.Latest(r.KeyVaultSecretName!)?.Value };
        h.Hygiene.AutoDisableUnused = true;
        h.Hygiene.AutoDisableUnusedDays = 180;
        var idle = h.Dynatrace.Issue(RotationHarness.Environment, TokenKind.ClassicApiToken, "idle", ["a"]);
        var protectedToken = h.Dynatrace.Issue(RotationHarness.Environment, TokenKind.ClassicApiToken, "protected", ["a"]);
        h.Kill.ProtectedTokenIds.Add(protectedToken.Id.Value);
        var managed = h.EnrollClassic("rarely-used", period: "365d");
        var recentlyIdle = h.Dynatrace.Issue(RotationHarness.Environment, TokenKind.ClassicApiToken, "idle but not long enough", ["a"]);
        h.Time.Advance(TimeSpan.FromDays(200));
        recentlyIdle.LastUsed = h.Time.GetUtcNow() - TimeSpan.FromDays(120);
        h.Restart();

        var report = await h.HygieneJob.RunAsync(CancellationToken.None);

        Assert.Empty(report.Errors);
        Assert.False(idle.Enabled);
        Assert.Equal(HygieneAction.Disabled, Assert.Single(report.Findings, f => f.TokenId == idle.Id && f.Issue == HygieneIssue.Unused).Action);
        Assert.True(protectedToken.Enabled);
        Assert.True(managed.Enabled);
        Assert.True(recentlyIdle.Enabled);
        Assert.True(h.Primary.Enabled && h.Secondary!.Enabled);
        Assert.Contains(h.Audit.Records, r => r.Action == "hygiene-disable" && r.TokenId == idle.Id);
    }

    [Fact]
    public async Task Auto_disable_stands_down_when_the_management_credentials_cannot_be_identified()
    {
        var h = new RotationHarness();
        h.Hygiene.AutoDisableUnused = true;
        var idle = h.Dynatrace.Issue(RotationHarness.Environment, TokenKind.ClassicApiToken, "idle", ["a"]);
        h.Time.Advance(TimeSpan.FromDays(365));
        h.Restart(); // no credential provider registered

        var report = await h.HygieneJob.RunAsync(CancellationToken.None);

        Assert.True(idle.Enabled);
        Assert.Contains(report.Errors, e => e.Contains("auto-disable is off", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Auto_disable_stands_down_and_the_report_completes_when_a_management_credential_cannot_be_read()
    {
        var h = new RotationHarness();
        h.CredentialProvider = new FakeCredentialProvider { Failure = r => new ManagementCredentialUnavailableException(r, "Key Vault answered HTTP 503.", isTransient: true) };
        h.Hygiene.AutoDisableUnused = true;
        var idle = h.Dynatrace.Issue(RotationHarness.Environment, TokenKind.ClassicApiToken, "idle", ["a"]);
        h.Time.Advance(TimeSpan.FromDays(365));
        h.Restart();

        var report = await h.HygieneJob.RunAsync(CancellationToken.None);

        Assert.True(idle.Enabled);
        Assert.Contains(report.Errors, e => e.Contains("management credentials' token ids could not all be read", StringComparison.Ordinal));
        Assert.Equal(HygieneAction.None, Assert.Single(report.Findings, f => f.TokenId == idle.Id && f.Issue == HygieneIssue.Unused).Action);
    }
}
