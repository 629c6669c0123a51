using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Engine.IntegrationTests.Dynatrace;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.IntegrationTests.Kill;

public sealed class KillSandboxBatchTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_thousand_leaked_tokens_over_five_environments_are_each_disabled_exactly_once(bool inventory)
    {
        await using var s = await KillScenario.StartAsync(
            environments: 5,
            configure: c => Unhurried(c).Set("KillSwitch:InventoryThreshold", inventory ? "50" : "0"));
        var leaked = new List<(SandboxEnvironment Environment, SandboxIssuedToken Token)>();
        foreach (var (environment, _) in s.Environments)
        {
            leaked.AddRange(environment.AddTokens(200).Select(t => (environment, t)));
        }

        // Interleave environments so the batch does not arrive sorted by owner.
        var leaks = leaked.OrderBy(l => l.Token.Id, StringComparer.Ordinal).ToList();
        var result = await s.DisableAsync([.. leaks.Select(l => KillScenario.LeakOf(l.Token))]);

        Assert.Equal(1000, result.Outcomes.Count);
        Assert.Equal(1000, result.Count(TokenOutcomeKind.Disabled));
        Assert.Equal(leaks.Select(l => l.Token.Id), result.Outcomes.Select(o => o.TokenId.Value));
        Assert.All(result.Outcomes.Zip(leaks), p => Assert.Equal(p.Second.Environment.Id, p.First.Owner));
        foreach (var (environment, credential) in s.Environments)
        {
            Assert.Equal(200, environment.CallCount(SandboxEndpoint.ApiTokensUpdate));
            Assert.All(environment.Tokens.Where(t => t.Id != credential.Id), t => Assert.False(t.Enabled));
            Assert.True(environment.GetToken(credential.Id)!.Enabled);
            if (inventory)
            {
                Assert.Equal(1, environment.CallCount(SandboxEndpoint.ApiTokensList));
                Assert.Equal(0, environment.CallCount(SandboxEndpoint.ApiTokensLookup));
            }
        }

        Assert.Equal(1000, s.Audit.Records.Count);

        // A redelivery of the whole batch writes nothing.
        s.Sandbox.ResetCounters();
        var again = await s.DisableAsync([.. leaks.Select(l => KillScenario.LeakOf(l.Token))]);
        Assert.Equal(1000, again.Count(TokenOutcomeKind.AlreadyDisabled));
        Assert.All(s.Environments, e => Assert.Equal(0, e.Environment.CallCount(SandboxEndpoint.ApiTokensUpdate)));
    }

    [Fact]
    public async Task Five_environments_are_asked_at_once_and_only_the_owner_is_written()
    {
        await using var s = await KillScenario.StartAsync(environments: 5, configure: c => Unhurried(c));
        var token = s.Env(4).AddToken();
        foreach (var other in new[] { 1, 2, 3, 5 })
        {
            s.Env(other).Faults.Latency = TimeSpan.FromMilliseconds(300); // slower than the owner; their answers are not awaited
        }

        var outcome = Assert.Single((await s.DisableAsync(KillScenario.LeakOf(token))).Outcomes);

        Assert.Equal(TokenOutcomeKind.Disabled, outcome.Outcome);
        Assert.Equal("env4", outcome.Owner);
        // The slow environments' lookups are cancelled once the owner answers; one may be cut off before it reaches the
        // server, so they count at most once (unit tests prove they are started together).
        Assert.Equal(1, s.Env(4).CallCount(SandboxEndpoint.ApiTokensLookup));
        Assert.All(s.Environments, e => Assert.InRange(e.Environment.CallCount(SandboxEndpoint.ApiTokensLookup), 0, 1));
        Assert.All(s.Environments, e => Assert.Equal(e.Environment.Id == "env4" ? 1 : 0, e.Environment.CallCount(SandboxEndpoint.ApiTokensUpdate)));
        // One read and one write: nothing else goes over the wire for a single leaked secret.
        Assert.All(s.Environments, e => Assert.Equal(0, e.Environment.CallCount(SandboxEndpoint.ApiTokensGet) + e.Environment.CallCount(SandboxEndpoint.ApiTokensList)));
        Assert.False(s.Env(4).GetToken(token.Id)!.Enabled);
    }

    [Fact]
    public async Task An_id_only_leak_is_found_by_id_in_whichever_environment_has_it()
    {
        await using var s = await KillScenario.StartAsync(environments: 3, configure: c => Unhurried(c));
        var token = s.Env(2).AddToken();

        var leak = Leak.FromId(TokenId.Parse(token.Id), "gitguardian", "gg-1");
        var outcome = Assert.Single((await s.DisableAsync(leak)).Outcomes);

        Assert.Equal(TokenOutcomeKind.Disabled, outcome.Outcome);
        // Found by id with a GET at the owner; the others' GETs are cancelled once it answers, possibly before they leave.
        Assert.Equal(1, s.Env(2).CallCount(SandboxEndpoint.ApiTokensGet));
        Assert.All(s.Environments, e => Assert.InRange(e.Environment.CallCount(SandboxEndpoint.ApiTokensGet), 0, 1));
        Assert.All(s.Environments, e => Assert.Equal(0, e.Environment.CallCount(SandboxEndpoint.ApiTokensLookup)));
    }

    /// <summary>
    /// These tests count requests and expect every token Disabled. The scenario's 2 s deadline can run out on a healthy
    /// request when a loaded CI machine serves a 1,000-token batch, so they give every attempt ample time; timeouts have
    /// their own tests.
    /// </summary>
    private static DynatraceConfig Unhurried(DynatraceConfig config) =>
        config.Set("Dynatrace:RequestDeadline", "00:01:00").Set("Dynatrace:AttemptTimeout", "00:00:30");
}
