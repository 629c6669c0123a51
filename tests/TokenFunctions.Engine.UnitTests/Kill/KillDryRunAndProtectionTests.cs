using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;
using TokenFunctions.Engine.Tokens;
using TokenFunctions.Engine.UnitTests.Tokens;

namespace TokenFunctions.Engine.UnitTests.Kill;

public sealed class KillDryRunAndProtectionTests
{
    [Fact]
    public async Task Global_dry_run_decides_and_audits_but_writes_nothing()
    {
        using var h = new KillHarness(accounts: 1);
        h.Settings["DryRun"] = "true";
        var classic = TestTokens.RandomClassicSecret(1);
        var platform = TokenSecret.Parse(TestTokens.RandomPlatform(2));
        h.Environments[0].Add(classic);
        h.Accounts[0].Add(platform.Id);

        var result = await h.DisableAsync(Leak.FromSecret(classic, "github-alert", "c1"), Leak.FromSecret(platform, "github-alert", "c1"));

        Assert.All(result.Outcomes, o => Assert.Equal(TokenOutcomeKind.WouldDisable, o.Outcome));
        Assert.All(result.Outcomes, o => Assert.True(o.IsSuccess));
        Assert.Equal("env1", result.Outcomes[0].Owner);
        Assert.Empty(h.Environments[0].Writes);
        Assert.Empty(h.Accounts[0].Writes);
        Assert.True(h.Environments[0].IsEnabled(classic.Id));
        Assert.All(h.Audit.Records, r => Assert.True(r.DryRun));
        Assert.Equal(2, h.Audit.Records.Count);
    }

    [Fact]
    public async Task A_dry_run_source_runs_dry_while_other_sources_act()
    {
        using var h = new KillHarness();
        h.Settings["DryRunSources:0"] = "GitGuardian";
        var fromDry = TestTokens.RandomClassicSecret(3);
        var fromLive = TestTokens.RandomClassicSecret(4);
        h.Environments[0].Add(fromDry);
        h.Environments[0].Add(fromLive);

        var result = await h.DisableAsync(Leak.FromSecret(fromDry, "gitguardian", "c"), Leak.FromSecret(fromLive, "github-alert", "c"));

        Assert.Equal([TokenOutcomeKind.WouldDisable, TokenOutcomeKind.Disabled], result.Outcomes.Select(o => o.Outcome));
        Assert.Equal([(fromLive.Id, false)], h.Environments[0].Writes);
    }

    [Fact]
    public async Task A_request_can_ask_for_a_dry_run()
    {
        using var h = new KillHarness();
        var secret = TestTokens.RandomClassicSecret(5);
        h.Environments[0].Add(secret);

        var result = await h.Engine.DisableAsync(
            new KillRequest([Leak.FromSecret(secret, "generic", "c")]) { DryRun = true }, TestContext.Current.CancellationToken);

        Assert.Equal(TokenOutcomeKind.WouldDisable, Assert.Single(result.Outcomes).Outcome);
        Assert.Empty(h.Environments[0].Writes);
    }

    [Fact]
    public async Task A_token_reported_by_a_dry_source_and_a_live_source_is_disabled()
    {
        using var h = new KillHarness();
        h.Settings["DryRunSources:0"] = "gitguardian";
        var secret = TestTokens.RandomClassicSecret(6);
        h.Environments[0].Add(secret);

        var result = await h.DisableAsync(Leak.FromSecret(secret, "gitguardian", "a"), Leak.FromSecret(secret, "github-alert", "b"));

        Assert.Equal(TokenOutcomeKind.Disabled, Assert.Single(result.Outcomes).Outcome);
    }

    [Fact]
    public async Task A_dry_run_still_reports_an_already_disabled_token_truthfully()
    {
        using var h = new KillHarness();
        h.Settings["DryRun"] = "true";
        var secret = TestTokens.RandomClassicSecret(7);
        h.Environments[0].Add(secret, enabled: false);

        Assert.Equal(TokenOutcomeKind.AlreadyDisabled, Assert.Single((await h.DisableAsync(Leak.FromSecret(secret, "s", "c"))).Outcomes).Outcome);
    }

    [Fact]
    public async Task A_listed_protected_token_is_read_for_its_blast_radius_but_never_written()
    {
        using var h = new KillHarness(environments: 2);
        var secret = TestTokens.RandomClassicSecret(8);
        h.Environments[1].Add(secret);
        h.Settings["ProtectedTokenIds:0"] = secret.Id.Value;

        var outcome = Assert.Single((await h.DisableAsync(Leak.FromSecret(secret, "github-alert", "c"))).Outcomes);

        Assert.Equal(TokenOutcomeKind.Protected, outcome.Outcome);
        Assert.True(outcome.NeedsHuman);
        Assert.Equal("env2", outcome.Owner);
        Assert.NotNull(outcome.Facts);
        Assert.Contains("ProtectedTokenIds", outcome.Detail, StringComparison.Ordinal);
        Assert.All(h.Environments, e => Assert.Empty(e.Writes));
        Assert.True(h.Environments[1].IsEnabled(secret.Id));
    }

    [Fact]
    public async Task A_protected_token_stays_Protected_even_when_nobody_knows_it()
    {
        using var h = new KillHarness();
        var secret = TestTokens.RandomClassicSecret(9);
        h.Settings["ProtectedTokenIds:0"] = secret.Id.Value;

        Assert.Equal(TokenOutcomeKind.Protected, Assert.Single((await h.DisableAsync(Leak.FromSecret(secret, "s", "c"))).Outcomes).Outcome);
    }

    [Fact]
    public async Task The_apps_own_management_credentials_are_protected_when_resolvable()
    {
        using var h = new KillHarness(environments: 2, accounts: 1);
        var own = TestTokens.RandomClassicSecret(10);
        h.Environments[0].Add(own);
        h.Credentials = new FakeCredentialProvider(new Dictionary<string, string> { ["management-env1"] = own.Reveal() });
        var ownClient = TokenId.Parse(h.Accounts[0].Account.ClientId);

        var result = await h.DisableAsync(Leak.FromSecret(own, "github-alert", "c"), Leak.FromId(ownClient, "github-alert", "c"));

        Assert.Equal([TokenOutcomeKind.Protected, TokenOutcomeKind.CannotDisableOwnCredential], result.Outcomes.Select(o => o.Outcome));
        Assert.Contains("management credential of this app for environment env1", result.Outcomes[0].Detail, StringComparison.Ordinal);

        // No API revokes an OAuth client secret: the outcome says exactly what a human does, not a bare "Protected".
        Assert.Contains("OAuth client this app uses for account account1", result.Outcomes[1].Detail, StringComparison.Ordinal);
        Assert.Contains("Account Management > Identity & access management > OAuth clients", result.Outcomes[1].Detail, StringComparison.Ordinal);
        Assert.Contains($"delete client {ownClient}", result.Outcomes[1].Detail, StringComparison.Ordinal);
        Assert.Empty(h.Environments[0].Writes);
    }

    [Fact]
    public async Task Own_credentials_are_resolved_once_per_cache_period_and_can_be_switched_off()
    {
        using var h = new KillHarness(environments: 2);
        var own = TestTokens.RandomClassicSecret(11);
        h.Environments[0].Add(own);
        var credentials = new FakeCredentialProvider(new Dictionary<string, string> { ["management-env1"] = own.Reveal() });
        h.Credentials = credentials;

        await h.DisableAsync(Leak.FromSecret(own, "s", "c"));
        await h.DisableAsync(Leak.FromSecret(own, "s", "c"));
        Assert.Equal(2, credentials.Calls); // env1 resolved, env2 failed (logged), both cached

        h.Time.Advance(TimeSpan.FromMinutes(6));
        await h.DisableAsync(Leak.FromSecret(own, "s", "c"));
        Assert.Equal(4, credentials.Calls);
        Assert.Contains(h.Logs.Entries, e => e.Message.Contains("Could not resolve own credential", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Own_credential_protection_can_be_turned_off()
    {
        using var h = new KillHarness();
        h.Settings["ProtectOwnCredentials"] = "false";
        var own = TestTokens.RandomClassicSecret(12);
        h.Environments[0].Add(own);
        h.Credentials = new FakeCredentialProvider(new Dictionary<string, string> { ["management-env1"] = own.Reveal() });

        Assert.Equal(TokenOutcomeKind.Disabled, Assert.Single((await h.DisableAsync(Leak.FromSecret(own, "s", "c"))).Outcomes).Outcome);
    }

    [Fact]
    public async Task A_protected_platform_token_is_not_set_inactive()
    {
        using var h = new KillHarness(accounts: 1);
        var platform = TokenSecret.Parse(TestTokens.RandomPlatform(13));
        h.Accounts[0].Add(platform.Id);
        h.Settings["ProtectedTokenIds:0"] = platform.Id.Value;

        var outcome = Assert.Single((await h.DisableAsync(Leak.FromSecret(platform, "s", "c"))).Outcomes);

        Assert.Equal(TokenOutcomeKind.Protected, outcome.Outcome);
        Assert.Equal("account1", outcome.Owner);
        Assert.Empty(h.Accounts[0].Writes);
    }
}
