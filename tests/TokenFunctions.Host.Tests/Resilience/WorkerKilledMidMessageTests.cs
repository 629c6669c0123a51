using System.Text.Json;
using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Host.Tests.Hosting;
using TokenFunctions.WorkerHost.ServiceBus;
using TokenFunctions.WorkerHost.Worker;

namespace TokenFunctions.Host.Tests.Resilience;

/// <summary>
/// The worker process dies (SIGKILL, as a crash or a scale-in does) in the middle of a kill-switch: nothing was settled,
/// so the message's lock expires, the broker redelivers it, the host gives it to a fresh worker, and the work
/// converges from the progress the first worker left in Azurite.
/// </summary>
public sealed class WorkerKilledMidMessageTests(KilledWorkerApp app) : IClassFixture<KilledWorkerApp>
{
    private const string Owner = "eve@example.com";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_message_is_redelivered_to_a_fresh_worker_and_converges_with_nothing_lost_and_no_token_written_twice()
    {
        var tokens = app.Env1.AddTokens(400, i => new SandboxApiTokenSeed { Name = $"compromised-{i}", Owner = Owner });
        var firstWorker = app.Host.Worker.WorkerId;

        // A slow Dynatrace keeps the kill-switch busy long enough to be interrupted.
        app.Env1.Faults.Latency = TimeSpan.FromMilliseconds(40);
        var messageId = await app.SendIncidentAsync(JsonSerializer.Serialize(new
        {
            version = 1,
            type = "kill-switch",
            incidentId = "HOSTED-KILL-1",
            requestedBy = "ir-lead@example.com",
            reason = "credentials exfiltrated",
            selector = new { owner = Owner, environment = "env1" },
        }));
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            timeout.CancelAfter(TimeSpan.FromMinutes(1));
            await app.Host.Log.WaitForAsync(lines => lines.Count(l => l.Source == "rpc" && l.Message.Contains(": Disabled (owner env1", StringComparison.Ordinal)) >= 40, timeout.Token);
        }

        await app.Host.KillWorkerAsync();
        var interrupted = await app.WaitForDeliveryAsync(d => d.MessageId == messageId);
        Assert.False(interrupted.Result.Succeeded);
        Assert.Null(interrupted.Settlement);
        Assert.Equal(1, interrupted.DeliveryCount);
        Assert.Contains(tokens, t => app.Env1.GetToken(t.Id)!.Enabled);
        Assert.True(Assert.Single(app.Incidents.Messages, m => m.MessageId == messageId).Locked);

        await app.Host.StartWorkerAsync(Ct);
        app.Env1.Faults.Latency = TimeSpan.Zero;
        app.Time.Advance(app.Incidents.LockDuration + TimeSpan.FromSeconds(1));

        var finished = await app.WaitForSettledAsync(messageId, SettlementKind.Complete);
        Assert.Equal(2, finished.DeliveryCount);
        Assert.NotEqual(firstWorker, finished.Result.WorkerId);
        Assert.Contains(app.Incidents.History, e => e.MessageId == messageId && e.Kind == BrokerEventKind.LockExpired);
        Assert.DoesNotContain(app.Incidents.Messages, m => m.MessageId == messageId);
        Assert.All(tokens, t => Assert.False(app.Env1.GetToken(t.Id)!.Enabled, $"{t.Id} is still enabled"));
        Assert.All(tokens, t => Assert.Equal(1, app.DisableWrites(t.Id)));
        // Every token is in the incident's trail. The first worker's last unflushed audit batch died with it, so the tokens
        // it disabled after its last flush are audited by the second worker as AlreadyDisabled (docs/testing.md).
        var audit = await app.IncidentAuditRowsAsync("HOSTED-KILL-1");
        // Each disable is followed, off the kill path, by an "evidence" record (last use since the leak); only the
        // disable decisions are checked here.
        var disables = audit.Where(r => r.GetString("Action") == "disable").ToList();
        var audited = disables.Select(r => r.GetString("TokenId")).ToHashSet();
        Assert.All(tokens, t => Assert.Contains(t.Id, audited));
        Assert.All(disables, r => Assert.Contains(r.GetString("Outcome"), new[] { "Disabled", "AlreadyDisabled" }));
        Assert.All(audit, r => Assert.Contains(r.GetString("Action"), new[] { "disable", "evidence" }));
        SecretScan.AssertNothingLeaked(app);
    }
}
