using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;
using TokenFunctions.Engine.UnitTests.Tokens;

namespace TokenFunctions.Engine.UnitTests.Kill;

public sealed class KillTargetSearchTests
{
    [Fact]
    public async Task Every_environment_is_asked_once_and_only_the_owner_is_written()
    {
        using var h = new KillHarness(environments: 5);
        var secret = TestTokens.RandomClassicSecret(1);
        h.Environments[3].Add(secret);

        var outcome = Assert.Single((await h.DisableAsync(Leak.FromSecret(secret, "github-alert", "c"))).Outcomes);

        Assert.Equal(TokenOutcomeKind.Disabled, outcome.Outcome);
        Assert.Equal("env4", outcome.Owner);
        Assert.All(h.Environments, e => Assert.Equal(1, e.Lookups));
        Assert.All(h.Environments, e => Assert.Equal(0, e.Gets));
        Assert.Equal([(secret.Id, false)], h.Environments[3].Writes);
        Assert.Equal(1, h.Environments.Sum(e => e.Writes.Count));
    }

    [Fact]
    public async Task Environments_are_asked_in_parallel_and_the_slow_ones_are_cancelled_once_the_owner_answers()
    {
        using var h = new KillHarness(environments: 5);
        var secret = TestTokens.RandomClassicSecret(2);
        h.Environments[2].Add(secret);
        foreach (var slow in h.Environments.Where((_, i) => i != 2))
        {
            slow.Calls.HangUntilCancelled = true; // would never answer: only cancellation ends these calls
        }

        var outcome = Assert.Single((await h.DisableAsync(Leak.FromSecret(secret, "github-alert", "c"))).Outcomes);

        Assert.Equal(TokenOutcomeKind.Disabled, outcome.Outcome);
        Assert.Equal("env3", outcome.Owner);
        Assert.All(h.Environments, e => Assert.Equal(1, e.Lookups));
        // Cancellation of the losers completes asynchronously after the winner returns; every one of them must see it.
        await Task.WhenAll(h.Environments.Where((_, i) => i != 2).Select(slow => slow.Calls.CancelledReached(1)))
            .WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task The_hinted_owner_is_asked_alone_when_it_has_the_token()
    {
        using var h = new KillHarness(environments: 4);
        var secret = TestTokens.RandomClassicSecret(3);
        h.Environments[2].Add(secret);

        var leak = Leak.FromSecret(secret, "generic", "c") with { OwnerHint = "ENV3" };
        var outcome = Assert.Single((await h.DisableAsync(leak)).Outcomes);

        Assert.Equal(TokenOutcomeKind.Disabled, outcome.Outcome);
        Assert.Equal([0, 0, 1, 0], h.Environments.Select(e => e.Reads));
    }

    [Fact]
    public async Task A_wrong_hint_falls_back_to_all_other_environments()
    {
        using var h = new KillHarness(environments: 4);
        var secret = TestTokens.RandomClassicSecret(4);
        h.Environments[0].Add(secret);

        var leak = Leak.FromSecret(secret, "generic", "c") with { OwnerHint = "env2" };
        var outcome = Assert.Single((await h.DisableAsync(leak)).Outcomes);

        Assert.Equal("env1", outcome.Owner);
        Assert.Equal([1, 1, 1, 1], h.Environments.Select(e => e.Reads));
    }

    [Fact]
    public async Task A_hint_naming_no_environment_is_logged_and_ignored()
    {
        using var h = new KillHarness(environments: 2);
        var secret = TestTokens.RandomClassicSecret(5);
        h.Environments[1].Add(secret);

        var leak = Leak.FromSecret(secret, "generic", "c") with { OwnerHint = "nowhere" };
        Assert.Equal(TokenOutcomeKind.Disabled, Assert.Single((await h.DisableAsync(leak)).Outcomes).Outcome);
        Assert.Contains(h.Logs.Entries, e => e.Message.Contains("Owner hint nowhere", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_platform_hint_names_the_account()
    {
        using var h = new KillHarness(accounts: 3);
        var platform = Engine.Tokens.TokenSecret.Parse(TestTokens.RandomPlatform(6));
        h.Accounts[1].Add(platform.Id);

        var leak = Leak.FromSecret(platform, "generic", "c") with { OwnerHint = "account2" };
        Assert.Equal(TokenOutcomeKind.Disabled, Assert.Single((await h.DisableAsync(leak)).Outcomes).Outcome);
        Assert.Equal([0, 1, 0], h.Accounts.Select(a => a.Writes.Count));
        Assert.All(h.Accounts, a => Assert.Equal(0, a.Finds));
    }
}
