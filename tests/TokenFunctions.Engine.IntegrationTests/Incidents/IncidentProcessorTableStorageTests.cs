using TokenFunctions.Engine.Incidents.Ledger;
using TokenFunctions.Engine.Incidents.Testing;
using TokenFunctions.Engine.Kill;

namespace TokenFunctions.Engine.Incidents;

/// <summary>The processor end to end over Azurite: progress and ledger survive across deliveries and processor instances.</summary>
public sealed class IncidentProcessorTableStorageTests(AzuriteTables azurite) : IClassFixture<AzuriteTables>
{
    private static string KillSwitch(string incidentId) =>
        $$"""{ "version": 1, "type": "kill-switch", "incidentId": "{{incidentId}}", "requestedBy": "soc@example.com", "selector": { "owner": "alice@example.com" } }""";

    [Fact]
    public async Task A_two_thousand_token_selector_finishes_across_deliveries_on_alternating_instances_disabling_each_token_once()
    {
        var incident = "INC-" + Guid.NewGuid().ToString("N");
        using var host = new IncidentTestHost(ledger: new TableIncidentLedger(azurite.Tables), progress: new TableIncidentProgressStore(azurite.Tables));
        host.Directory = new FakeDirectory(
        [
            new FakeEnvironmentClient("prod", FakeEnvironmentClient.Tokens(0, 1200), host.Time),
            new FakeEnvironmentClient("staging", FakeEnvironmentClient.Tokens(1200, 800), host.Time),
        ]);
        host.Options.PageSize = 500;
        host.Options.BatchSize = 100;
        host.Options.WorkBudgetPerDelivery = TimeSpan.FromSeconds(30);
        host.Kill.CostPerToken = TimeSpan.FromMilliseconds(50);
        host.Kill.Decide = (leak, attempt) => leak.TokenId.Value.EndsWith("77", StringComparison.Ordinal) && attempt == 1 ? TokenOutcomeKind.Failed : TokenOutcomeKind.Disabled;

        var decisions = new List<SettlementDecision>();
        for (var delivery = 1; delivery <= host.Options.MaxDeliveryCount; delivery++)
        {
            // A new processor per delivery: nothing but the tables carries progress from one to the next.
            var decision = await host.Processor().ProcessAsync(IncidentTestHost.Message(KillSwitch(incident), "m-1", delivery), CancellationToken.None);
            decisions.Add(decision);
            if (decision is not SettlementDecision.Abandon)
            {
                break;
            }

            host.Time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.IsType<SettlementDecision.Complete>(decisions[^1]);
        Assert.True(decisions.Count >= 3, $"expected several deliveries, got {decisions.Count}");
        Assert.Equal(2000, host.Kill.Disabled.Count);
        Assert.All(host.Kill.Disabled.Values, count => Assert.Equal(1, count));
        var finished = await new TableIncidentLedger(azurite.Tables).GetFinishedAsync(incident, LedgerActions.Disable, CancellationToken.None);
        Assert.Equal(2000, finished.Count);

        var duplicate = await host.Processor().ProcessAsync(IncidentTestHost.Message(KillSwitch(incident), "m-2"), CancellationToken.None);
        Assert.Contains("duplicate", Assert.IsType<SettlementDecision.Complete>(duplicate).Summary, StringComparison.Ordinal);
        Assert.Equal(2000, host.Kill.Disabled.Count);
    }

    [Fact]
    public async Task Concurrent_copies_of_one_message_act_once_thanks_to_the_etag_lease()
    {
        var incident = "INC-" + Guid.NewGuid().ToString("N");
        using var host = new IncidentTestHost(ledger: new TableIncidentLedger(azurite.Tables), progress: new TableIncidentProgressStore(azurite.Tables));
        host.Directory = new FakeDirectory([new FakeEnvironmentClient("prod", FakeEnvironmentClient.Tokens(0, 300), host.Time)]);
        host.Options.PageSize = 100;
        host.Options.BatchSize = 50;

        var copies = await Task.WhenAll(Enumerable.Range(1, 4).Select(i =>
            Task.Run(() => host.Processor().ProcessAsync(IncidentTestHost.Message(KillSwitch(incident), $"copy-{i}"), CancellationToken.None))));

        Assert.All(copies, d => Assert.IsType<SettlementDecision.Complete>(d));
        Assert.Equal(300, host.Kill.Disabled.Count);
        Assert.All(host.Kill.Disabled.Values, count => Assert.Equal(1, count));
    }
}
