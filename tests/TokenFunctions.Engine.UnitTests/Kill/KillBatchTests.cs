using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;
using TokenFunctions.Engine.Tokens;
using TokenFunctions.Engine.UnitTests.Tokens;

namespace TokenFunctions.Engine.UnitTests.Kill;

public sealed class KillBatchTests
{
    [Fact]
    public async Task The_same_token_twice_is_acted_on_once()
    {
        using var h = new KillHarness();
        var secret = TestTokens.RandomClassicSecret(1);
        h.Environments[0].Add(secret);

        var result = await h.DisableAsync(
            Leak.FromSecret(secret, "github-alert", "a"),
            Leak.FromId(secret.Id, "gitguardian", "b"),
            Leak.FromSecret(TokenSecret.Parse(secret.Reveal()), "github-partner", "c"));

        var outcome = Assert.Single(result.Outcomes);
        Assert.Equal(TokenOutcomeKind.Disabled, outcome.Outcome);
        Assert.Equal(secret.Fingerprint, outcome.Fingerprint);
        Assert.Single(h.Environments[0].Writes);
        Assert.Equal(1, h.Environments[0].Reads);
        var record = Assert.Single(h.Audit.Records);
        Assert.Equal("a", record.CorrelationId);
        Assert.Contains("Reported 3 times", record.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_id_only_report_first_picks_up_the_secret_of_a_later_duplicate()
    {
        using var h = new KillHarness();
        var secret = TestTokens.RandomClassicSecret(2);
        h.Environments[0].Add(secret);

        var outcome = Assert.Single((await h.DisableAsync(Leak.FromId(secret.Id, "gitguardian", "a"), Leak.FromSecret(secret, "github-alert", "b"))).Outcomes);

        Assert.Equal(secret.Fingerprint, outcome.Fingerprint);
        Assert.Equal((1, 0), (h.Environments[0].Lookups, h.Environments[0].Gets));
    }

    [Fact]
    public async Task Outcomes_come_back_in_input_order_of_distinct_tokens()
    {
        using var h = new KillHarness(environments: 3, accounts: 1);
        var a = TestTokens.RandomClassicSecret(3);
        var b = TokenSecret.Parse(TestTokens.RandomPlatform(4));
        var c = TokenSecret.Parse(TestTokens.Text("dt0s02", 5, 8));
        var d = TestTokens.RandomClassicSecret(6);
        h.Environments[2].Add(a);
        h.Accounts[0].Add(b.Id);
        h.Environments[0].Add(d, enabled: false);
        for (var i = 0; i < 3; i++)
        {
            h.Environments[i].Calls.Hold = Task.CompletedTask;
        }

        var result = await h.DisableAsync(
            Leak.FromSecret(a, "s", "1"), Leak.FromSecret(b, "s", "2"), Leak.FromSecret(a, "s", "3"), Leak.FromSecret(c, "s", "4"), Leak.FromSecret(d, "s", "5"));

        Assert.Equal([a.Id, b.Id, c.Id, d.Id], result.Outcomes.Select(o => o.TokenId));
        Assert.Equal(
            [TokenOutcomeKind.Disabled, TokenOutcomeKind.Disabled, TokenOutcomeKind.Unsupported, TokenOutcomeKind.AlreadyDisabled],
            result.Outcomes.Select(o => o.Outcome));
        Assert.Equal(1, result.Count(TokenOutcomeKind.Unsupported));
        Assert.False(result.AllSucceeded);
    }

    [Fact]
    public async Task Concurrent_calls_per_environment_never_exceed_the_bound()
    {
        using var h = new KillHarness(environments: 2);
        h.Settings["MaxConcurrencyPerEnvironment"] = "3";
        h.Settings["InventoryThreshold"] = "0";
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var leaks = new List<Leak>();
        for (var i = 0; i < 200; i++)
        {
            var secret = TestTokens.RandomClassicSecret(1000 + i);
            h.Environments[i % 2].Add(secret);
            leaks.Add(Leak.FromSecret(secret, "s", "c"));
        }

        foreach (var e in h.Environments)
        {
            e.Calls.Hold = release.Task;
        }

        var run = h.DisableAsync([.. leaks]);
        await Task.WhenAll(h.Environments.Select(e => e.Calls.InFlightReached(3)));
        release.SetResult();
        var result = await run;

        Assert.Equal(200, result.Count(TokenOutcomeKind.Disabled));
        Assert.All(h.Environments, e => Assert.Equal(3, e.Calls.MaxInFlight));
        Assert.All(h.Environments, e => Assert.Equal(100, e.Writes.Count));
    }

    [Fact]
    public async Task A_large_batch_lists_each_environment_once_instead_of_asking_per_token()
    {
        using var h = new KillHarness(environments: 3);
        h.Settings["InventoryThreshold"] = "10";
        foreach (var e in h.Environments)
        {
            e.PageSize = 7; // forces paging
        }

        var leaks = new List<Leak>();
        for (var i = 0; i < 30; i++)
        {
            var secret = TestTokens.RandomClassicSecret(2000 + i);
            h.Environments[i % 3].Add(secret, enabled: i != 0);
            leaks.Add(Leak.FromSecret(secret, "s", "c"));
        }

        var unlisted = TestTokens.RandomClassicSecret(3000); // not in any environment: resolved one by one
        leaks.Add(Leak.FromSecret(unlisted, "s", "c"));

        var result = await h.DisableAsync([.. leaks]);

        Assert.Equal(TokenOutcomeKind.AlreadyDisabled, result.Outcomes[0].Outcome);
        Assert.Equal(29, result.Count(TokenOutcomeKind.Disabled));
        Assert.Equal(TokenOutcomeKind.NotFound, result.Outcomes[^1].Outcome);
        Assert.All(h.Environments, e => Assert.Equal(2, e.Lists)); // 10 tokens, 7 per page
        Assert.All(h.Environments, e => Assert.Equal(1, e.Lookups)); // only the unlisted token
        Assert.Equal(29, h.Environments.Sum(e => e.Writes.Count));
        Assert.Equal("env2", result.Outcomes[1].Owner);
        Assert.Equal(["metrics.read", "logs.ingest"], result.Outcomes[1].Facts!.Scopes);
    }

    [Fact]
    public async Task A_failed_listing_falls_back_to_per_token_resolution()
    {
        using var h = new KillHarness(environments: 2);
        h.Settings["InventoryThreshold"] = "5";
        h.Environments[1].FailListWith = Engine.Dynatrace.DynatraceStatus.Transient;
        var leaks = new List<Leak>();
        for (var i = 0; i < 10; i++)
        {
            var secret = TestTokens.RandomClassicSecret(4000 + i);
            h.Environments[i % 2].Add(secret);
            leaks.Add(Leak.FromSecret(secret, "s", "c"));
        }

        var result = await h.DisableAsync([.. leaks]);

        Assert.Equal(10, result.Count(TokenOutcomeKind.Disabled));
        Assert.Equal(5, h.Environments[0].Lookups); // env1's own tokens came from its listing; it only answers 404 for env2's
        Assert.Equal(5, h.Environments[1].Lookups);
        Assert.Contains(h.Logs.Entries, e => e.Message.Contains("Listing tokens of env2 stopped", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("50")]
    [InlineData("0")]
    public async Task Ten_thousand_tokens_over_five_environments_are_each_disabled_exactly_once(string inventoryThreshold)
    {
        using var h = new KillHarness(environments: 5);
        h.Settings["InventoryThreshold"] = inventoryThreshold;
        var leaks = new Leak[10_000];
        for (var i = 0; i < leaks.Length; i++)
        {
            var id = TokenId.Parse($"dt0c01.{i:D24}");
            h.Environments[i % 5].Add(id);
            leaks[i] = Leak.FromId(id, "kill-switch", "bulk");
        }

        var result = await h.DisableAsync(leaks);

        Assert.Equal(10_000, result.Count(TokenOutcomeKind.Disabled));
        Assert.All(h.Environments, e => Assert.Equal(2_000, e.Writes.Select(w => w.Id).Distinct().Count()));
        Assert.All(h.Environments, e => Assert.Equal(2_000, e.Writes.Count));
        Assert.All(h.Environments, e => Assert.True(e.Calls.MaxInFlight <= 8));
        Assert.Equal(10_000, h.Audit.Records.Count);
    }

    [Fact]
    public async Task A_caller_deadline_keeps_what_was_decided_and_reports_the_rest_as_retryable()
    {
        using var h = new KillHarness(environments: 2);
        h.Settings["MaxConcurrencyPerEnvironment"] = "1";
        h.Settings["InventoryThreshold"] = "0";
        var done = TestTokens.RandomClassicSecret(5000);
        h.Environments[0].Add(done);
        var stuck = Enumerable.Range(0, 5).Select(i => TestTokens.RandomClassicSecret(5001 + i)).ToList();
        foreach (var s in stuck)
        {
            h.Environments[1].Add(s);
        }

        // env1 answers at once; env2 holds its calls, so only the first token can finish before the deadline.
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Environments[1].Calls.Hold = hold.Task;
        using var deadline = new CancellationTokenSource();
        var run = h.Engine.DisableAsync(new KillRequest([Leak.FromSecret(done, "s", "c"), .. stuck.Select(s => Leak.FromSecret(s, "s", "c"))]), deadline.Token);
        await h.Environments[0].FirstWrite.WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);

        await deadline.CancelAsync();
        var result = await run;

        Assert.Equal(6, result.Outcomes.Count);
        Assert.Equal(TokenOutcomeKind.Disabled, result.Outcomes[0].Outcome);
        Assert.All(result.Outcomes.Skip(1), o => Assert.True(o.IsRetryable));
        Assert.Equal([.. stuck.Select(s => s.Id)], result.Outcomes.Skip(1).Select(o => o.TokenId));
        Assert.Equal(6, h.Audit.Records.Count);
        Assert.All(stuck, s => Assert.True(h.Environments[1].IsEnabled(s.Id)));

        // Cut by the caller, not failed by Dynatrace: its own outcome in the result, the audit trail and the metric.
        Assert.All(result.Outcomes.Skip(1), o => Assert.Equal(TokenOutcomeKind.Interrupted, o.Outcome));
        Assert.Equal(5, h.Audit.Records.Count(r => r.Outcome == nameof(TokenOutcomeKind.Interrupted)));
        Assert.DoesNotContain(h.Audit.Records, r => r.Outcome == nameof(TokenOutcomeKind.Failed));
    }

    [Fact]
    public async Task A_Dynatrace_failure_without_a_cancellation_stays_Failed()
    {
        using var h = new KillHarness(environments: 1);
        var token = TestTokens.RandomClassicSecret(6000);
        h.Environments[0].Add(token);
        h.Environments[0].FailWritesWith = Engine.Dynatrace.DynatraceStatus.Transient;

        var result = await h.Engine.DisableAsync(new KillRequest([Leak.FromSecret(token, "s", "c")]), CancellationToken.None);

        Assert.Equal(TokenOutcomeKind.Failed, Assert.Single(result.Outcomes).Outcome);
        Assert.Equal(nameof(TokenOutcomeKind.Failed), Assert.Single(h.Audit.Records).Outcome);
    }
}
