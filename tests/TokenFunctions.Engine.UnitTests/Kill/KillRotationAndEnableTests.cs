using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;
using TokenFunctions.Engine.Tokens;
using TokenFunctions.Engine.UnitTests.Tokens;

namespace TokenFunctions.Engine.UnitTests.Kill;

public sealed class KillRotationAndEnableTests
{
    [Fact]
    public async Task A_disabled_managed_credential_is_replaced_and_its_location_reported()
    {
        using var h = new KillHarness();
        h.Rotation = new FakeLeakRotation { Notify = "team-observability" };
        var secret = TestTokens.RandomClassicSecret(1);
        h.Environments[0].Add(secret);
        h.Rotation.Managed.Add(secret.Id.Value);

        var outcome = Assert.Single((await h.DisableAsync(Leak.FromSecret(secret, "github-alert", "corr"))).Outcomes);

        Assert.Equal(TokenOutcomeKind.Disabled, outcome.Outcome);
        Assert.Equal($"https://vault.example.invalid/secrets/{secret.Id.PublicPart}", outcome.ReplacementLocation);
        Assert.Equal("team-observability", outcome.NotifyContact);
        var handedOver = Assert.Single(h.Rotation.Calls);
        Assert.Equal(TokenOutcomeKind.Disabled, handedOver.Outcome);
        Assert.Equal("env1", handedOver.Owner);
        Assert.Equal(["disable:Disabled", "rotate:Replaced"], h.Audit.Records.Select(r => $"{r.Action}:{r.Outcome}"));
        Assert.Contains(outcome.ReplacementLocation!, h.Audit.Records[1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_caller_that_defers_the_rotation_gets_the_disable_with_no_rotation_call()
    {
        using var h = new KillHarness();
        h.Rotation = new FakeLeakRotation();
        var secret = TestTokens.RandomClassicSecret(3);
        h.Environments[0].Add(secret);
        h.Rotation.Managed.Add(secret.Id.Value);

        var result = await h.Engine.DisableAsync(new KillRequest([Leak.FromSecret(secret, "github-alert", "corr")]) { DeferLeakRotation = true }, CancellationToken.None);

        var outcome = Assert.Single(result.Outcomes);
        Assert.Equal(TokenOutcomeKind.Disabled, outcome.Outcome);
        Assert.True(outcome.LeakRotationPending);
        Assert.Empty(h.Rotation.Calls);
        Assert.Equal(["disable:Disabled"], h.Audit.Records.Select(r => $"{r.Action}:{r.Outcome}"));
    }

    [Fact]
    public async Task A_replacement_postponed_by_a_Key_Vault_outage_is_handed_back_to_the_caller_not_audited_as_failed()
    {
        using var h = new KillHarness();
        h.Rotation = new FakeLeakRotation { Postpone = true };
        var secret = TestTokens.RandomClassicSecret(4);
        h.Environments[0].Add(secret);

        var outcome = Assert.Single((await h.DisableAsync(Leak.FromSecret(secret, "github-alert", "corr"))).Outcomes);

        Assert.Equal(TokenOutcomeKind.Disabled, outcome.Outcome);
        Assert.True(outcome.LeakRotationPending);
        Assert.DoesNotContain(h.Audit.Records, r => r.Outcome == "Failed");
    }

    [Fact]
    public async Task A_failed_replacement_leaves_the_token_disabled_and_is_audited()
    {
        using var h = new KillHarness();
        h.Rotation = new FakeLeakRotation { Failure = new InvalidOperationException("key vault unavailable") };
        var secret = TestTokens.RandomClassicSecret(2);
        h.Environments[0].Add(secret);

        var outcome = Assert.Single((await h.DisableAsync(Leak.FromSecret(secret, "github-alert", "corr"))).Outcomes);

        Assert.Equal(TokenOutcomeKind.Disabled, outcome.Outcome);
        Assert.Null(outcome.ReplacementLocation);
        Assert.False(h.Environments[0].IsEnabled(secret.Id));
        Assert.Equal(["disable:Disabled", "rotate:Failed"], h.Audit.Records.Select(r => $"{r.Action}:{r.Outcome}"));
        Assert.Contains("key vault unavailable", h.Audit.Records[1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotation_is_offered_for_already_disabled_tokens_but_not_for_dry_runs_or_failures()
    {
        using var h = new KillHarness();
        h.Rotation = new FakeLeakRotation();
        h.Settings["DryRunSources:0"] = "dry";
        var already = TestTokens.RandomClassicSecret(3);
        var dry = TestTokens.RandomClassicSecret(4);
        h.Environments[0].Add(already, enabled: false);
        h.Environments[0].Add(dry);

        await h.DisableAsync(Leak.FromSecret(already, "live", "c"), Leak.FromSecret(dry, "dry", "c"), Leak.FromSecret(TestTokens.RandomClassicSecret(5), "live", "c"));

        Assert.Equal([already.Id], h.Rotation.Calls.Select(c => c.TokenId));
        Assert.DoesNotContain(h.Audit.Records, r => r.Action == "rotate"); // unmanaged: nothing to replace
    }

    [Fact]
    public async Task Enable_undoes_a_false_positive_and_audits_who_asked_and_why()
    {
        using var h = new KillHarness(environments: 3);
        var secret = TestTokens.RandomClassicSecret(6);
        h.Environments[1].Add(secret, enabled: false);

        var outcome = await h.Engine.EnableAsync(secret.Id, null, "incident-7", "alice@example.com", "test fixture, not a real leak", TestContext.Current.CancellationToken);

        Assert.Equal(TokenOutcomeKind.Enabled, outcome.Outcome);
        Assert.True(outcome.IsSuccess);
        Assert.Equal("env2", outcome.Owner);
        Assert.True(h.Environments[1].IsEnabled(secret.Id));
        Assert.Equal([(secret.Id, true)], h.Environments[1].Writes);
        Assert.All(h.Environments, e => Assert.Equal(1, e.Gets));
        var record = Assert.Single(h.Audit.Records);
        Assert.Equal(("enable", "Enabled", "alice@example.com", "incident-7"), (record.Action, record.Outcome, record.RequestedBy, record.CorrelationId));
        Assert.Contains("test fixture, not a real leak", record.Detail, StringComparison.Ordinal);
        Assert.Equal("manual-enable", record.Source);
    }

    [Fact]
    public async Task Enabling_an_enabled_token_writes_nothing_and_dry_run_writes_nothing()
    {
        using var h = new KillHarness();
        var enabled = TestTokens.RandomClassicSecret(7);
        h.Environments[0].Add(enabled);
        var outcome = await h.Engine.EnableAsync(enabled.Id, "env1", "c", "bob", "check", TestContext.Current.CancellationToken);
        Assert.Equal(TokenOutcomeKind.Enabled, outcome.Outcome);
        Assert.Contains("already enabled", outcome.Detail, StringComparison.Ordinal);

        using var dry = new KillHarness();
        dry.Settings["DryRun"] = "true";
        var disabled = TestTokens.RandomClassicSecret(8);
        dry.Environments[0].Add(disabled, enabled: false);
        var wouldEnable = await dry.Engine.EnableAsync(disabled.Id, null, "c", "bob", "check", TestContext.Current.CancellationToken);
        Assert.Equal(TokenOutcomeKind.WouldEnable, wouldEnable.Outcome);
        Assert.Empty(dry.Environments[0].Writes);
        Assert.Empty(h.Environments[0].Writes);
        Assert.True(Assert.Single(dry.Audit.Records).DryRun);
    }

    [Fact]
    public async Task Enable_works_for_platform_tokens_and_reports_unknown_ones()
    {
        using var h = new KillHarness(accounts: 2);
        var platform = TokenSecret.Parse(TestTokens.RandomPlatform(9));
        h.Accounts[1].Add(platform.Id, "INACTIVE");

        var enabled = await h.Engine.EnableAsync(platform.Id, null, "c", "carol", "false positive", TestContext.Current.CancellationToken);
        var unknown = await h.Engine.EnableAsync(TokenSecret.Parse(TestTokens.RandomPlatform(10)).Id, null, "c", "carol", "x", TestContext.Current.CancellationToken);
        var oauth = await h.Engine.EnableAsync(TokenId.Parse("dt0s02.ABCDEFGH"), null, "c", "carol", "x", TestContext.Current.CancellationToken);

        Assert.Equal(TokenOutcomeKind.Enabled, enabled.Outcome);
        Assert.Equal("ACTIVE", h.Accounts[1].StatusOf(platform.Id));
        Assert.Equal(TokenOutcomeKind.NotFound, unknown.Outcome);
        Assert.Equal(TokenOutcomeKind.Unsupported, oauth.Outcome);
        Assert.Equal(3, h.Audit.Records.Count);
    }
}
