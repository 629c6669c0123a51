using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.IntegrationTests.Kill;

/// <summary>
/// Killing a platform token over HTTP, against sandboxes whose list pages count from 0 and from 1: the status write is
/// the lookup (no list call), and the paths that must list (dry run, protected tokens) find tokens beyond the first page.
/// </summary>
public sealed class PlatformKillSandboxTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task A_full_secret_leak_is_disabled_with_one_write_per_account_and_no_list_call(int pageBase)
    {
        await using var s = await KillScenario.StartAsync(accounts: 3, pageBase: pageBase);
        var owner = s.Accounts[1];
        AddFiller(owner, 150);
        var leaked = owner.AddPlatformToken(new SandboxPlatformTokenSeed { Name = "grail-reader", Scopes = ["storage:logs:read"] });

        var outcome = Assert.Single((await s.DisableAsync(KillScenario.LeakOf(leaked))).Outcomes);

        Assert.Equal((TokenOutcomeKind.Disabled, "acct2"), (outcome.Outcome, outcome.Owner));
        Assert.False(owner.GetPlatformToken(leaked.Id)!.IsActive);
        Assert.Equal(1, owner.CallCount(SandboxEndpoint.PlatformTokensStatus));
        Assert.All(s.Accounts, a => Assert.Equal(0, a.CallCount(SandboxEndpoint.PlatformTokensList)));

        // The others were asked the same PUT at the same time (404 there) or had it cancelled once the owner answered.
        Assert.All(s.Accounts.Where(a => a != owner), a => Assert.True(a.CallCount(SandboxEndpoint.PlatformTokensStatus) <= 1));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task An_id_only_leak_is_disabled_the_same_way(int pageBase)
    {
        await using var s = await KillScenario.StartAsync(accounts: 2, pageBase: pageBase);
        var leaked = s.Accounts[0].AddPlatformToken();

        var outcome = Assert.Single((await s.Kill.DisableAsync(
            new KillRequest([Leak.FromId(TokenId.Parse(leaked.Id), "generic", "corr-id-only")]), KillScenario.Ct)).Outcomes);

        Assert.Equal((TokenOutcomeKind.Disabled, "acct"), (outcome.Outcome, outcome.Owner));
        Assert.False(s.Accounts[0].GetPlatformToken(leaked.Id)!.IsActive);
        Assert.All(s.Accounts, a => Assert.Equal(0, a.CallCount(SandboxEndpoint.PlatformTokensList)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task A_token_in_no_account_is_NotFound_naming_every_account_that_answered_404(int pageBase)
    {
        await using var s = await KillScenario.StartAsync(accounts: 2, pageBase: pageBase);
        var elsewhere = new SandboxIssuedToken("dt0s16.NOWHERE1", "dt0s16.NOWHERE1." + new string('N', 64));

        var outcome = Assert.Single((await s.DisableAsync(KillScenario.LeakOf(elsewhere))).Outcomes);

        // A 404 under the dt0s16 id proves nothing while an account's id form is unknown: each account is then searched,
        // and one unfiltered item shows it holds no platform token at all, which does prove absence.
        Assert.Equal(TokenOutcomeKind.NotFound, outcome.Outcome);
        Assert.Contains("all 2 answered 404", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("acct2", outcome.Detail, StringComparison.Ordinal);
        Assert.All(s.Accounts, a => Assert.Equal((1L, 2L), (a.CallCount(SandboxEndpoint.PlatformTokensStatus), a.CallCount(SandboxEndpoint.PlatformTokensList))));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task A_dry_run_finds_a_token_beyond_the_first_page_and_writes_nothing(int pageBase)
    {
        await using var s = await KillScenario.StartAsync(account: true, pageBase: pageBase, configure: c => c.Set("KillSwitch:DryRun", "true"));

        // searchTerm also matches names: 230 fillers named after the id put the exact id on the last of three pages.
        AddFiller(s.Account!, 230, "copy of dt0s16.ZZZZZZZZ");
        var leaked = s.Account!.AddPlatformToken(new SandboxPlatformTokenSeed { Id = "dt0s16.ZZZZZZZZ" });

        var outcome = Assert.Single((await s.DisableAsync(Leak.FromId(TokenId.Parse("dt0s16.ZZZZZZZZ"), "generic", "corr-dry"))).Outcomes);

        Assert.Equal((TokenOutcomeKind.WouldDisable, "acct"), (outcome.Outcome, outcome.Owner));
        Assert.True(s.Account.GetPlatformToken(leaked.Id)!.IsActive);
        Assert.Equal(0, s.Account.CallCount(SandboxEndpoint.PlatformTokensStatus));
        Assert.Equal(3, s.Account.CallCount(SandboxEndpoint.PlatformTokensList));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task A_protected_token_is_not_written_and_its_listed_status_is_reported(int pageBase)
    {
        await using var s = await KillScenario.StartAsync(account: true, pageBase: pageBase, configure: c => c.Set("KillSwitch:ProtectedTokenIds:0", "dt0s16.ZZZZZZZZ"));
        AddFiller(s.Account!, 120, "copy of dt0s16.ZZZZZZZZ");
        var leaked = s.Account!.AddPlatformToken(new SandboxPlatformTokenSeed { Id = "dt0s16.ZZZZZZZZ" });

        var outcome = Assert.Single((await s.DisableAsync(KillScenario.LeakOf(leaked))).Outcomes);

        Assert.Equal(TokenOutcomeKind.Protected, outcome.Outcome);
        Assert.Contains("Its status in acct is ACTIVE", outcome.Detail, StringComparison.Ordinal);
        Assert.True(s.Account.GetPlatformToken(leaked.Id)!.IsActive);
        Assert.Equal(0, s.Account.CallCount(SandboxEndpoint.PlatformTokensStatus));
    }

    [Fact]
    public async Task A_client_granted_only_the_documented_default_scopes_can_kill()
    {
        await using var s = await KillScenario.StartAsync(account: true, grantedScopes: ["account-idm-read", "account-idm-write"]);
        var leaked = s.Account!.AddPlatformToken();

        var outcome = Assert.Single((await s.DisableAsync(KillScenario.LeakOf(leaked))).Outcomes);

        Assert.Equal(TokenOutcomeKind.Disabled, outcome.Outcome);
    }

    [Fact]
    public async Task A_scope_the_client_lacks_is_refused_by_the_SSO_and_named_in_the_outcome_and_the_log()
    {
        await using var s = await KillScenario.StartAsync(
            account: true,
            grantedScopes: ["account-idm-read", "account-idm-write"],
            configure: c => c.Set("Dynatrace:Accounts:0:Scopes", "account-idm-read account-idm-write platform-token:tokens:manage"));
        var leaked = s.Account!.AddPlatformToken();

        var outcome = Assert.Single((await s.DisableAsync(KillScenario.LeakOf(leaked))).Outcomes);

        Assert.Equal(TokenOutcomeKind.Denied, outcome.Outcome);
        Assert.False(outcome.IsRetryable);
        Assert.Contains("refused scope(s) 'platform-token:tokens:manage'", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("Dynatrace:Accounts:N:Scopes", outcome.Detail, StringComparison.Ordinal);
        Assert.True(s.Account.GetPlatformToken(leaked.Id)!.IsActive);
        Assert.Equal(0, s.Account.CallCount(SandboxEndpoint.PlatformTokensStatus));
        Assert.Contains(s.Logs.Lines, l => l.Contains("invalid_scope", StringComparison.Ordinal) && l.Contains("platform-token:tokens:manage", StringComparison.Ordinal));
        Assert.DoesNotContain(leaked.Secret, s.Logs.All, StringComparison.Ordinal);
    }

    private static void AddFiller(SandboxAccount account, int count, string? name = null)
    {
        for (var i = 0; i < count; i++)
        {
            account.AddPlatformToken(new SandboxPlatformTokenSeed { Id = $"dt0s16.F{i:D7}", Name = name });
        }
    }
}
