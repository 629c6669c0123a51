using TokenFunctions.Engine.Incidents.Handlers;
using TokenFunctions.Engine.Incidents.Ledger;
using TokenFunctions.Engine.Incidents.Testing;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Incidents;

/// <summary>
/// The queue's half of "nothing slow on the kill path": a <c>disable</c> spends its time on Dynatrace only and hands the
/// leak rotation of the managed credentials it disabled to a <c>rotate</c> message with <c>leaked</c> set, which is
/// retried with backoff while Key Vault is down.
/// </summary>
public sealed class IncidentLeakRotationTests : IDisposable
{
    private readonly IncidentTestHost _host = new();
    private readonly ScheduledBroker _broker;
    private readonly FakeRotationRequestHandler _rotation = new();

    public IncidentLeakRotationTests()
    {
        _broker = new ScheduledBroker(_host);
        _host.Sender = _broker.Sender;
        _host.Rotation = _rotation;
        _host.Kill.ManagedCredentials = true;
    }

    public void Dispose() => _host.Dispose();

    private static string Disable() =>
        $$"""{ "version": 1, "type": "disable", "incidentId": "INC-KV", "requestedBy": "soc", "tokens": ["{{TestTokens.ClassicId(1)}}"] }""";

    [Fact]
    public async Task The_disable_defers_the_rotation_to_a_leaked_rotate_message_which_rides_out_a_Key_Vault_outage()
    {
        var vaultBack = _host.Time.GetUtcNow() + TimeSpan.FromMinutes(20);
        _rotation.ReplaceLeaked = (_, _) => _host.Time.GetUtcNow() < vaultBack
            ? RotationRequestResult.Failed("Key Vault or the rotation state store is unavailable; the replacement is retried")
            : RotationRequestResult.Rotated("https://vault.example.invalid/secrets/ci/2");
        _rotation.Rotate = (id, attempt) => _rotation.ReplaceLeaked(id, attempt);

        await _broker.RunAsync(Disable());

        Assert.True(Assert.Single(_host.Kill.Requests).DeferLeakRotation);
        var rotate = Assert.Single(_broker.Sent, m => m.Subject == "rotate" && m.ScheduledEnqueueTime is null);
        Assert.Contains("\"leaked\":true", System.Text.Encoding.UTF8.GetString(rotate.Body.Span), StringComparison.Ordinal);
        Assert.Empty(_broker.DeadLetters);
        Assert.Equal(1, _host.Kill.Disabled[TokenId.Parse(TestTokens.ClassicId(1))]);
        Assert.True(_rotation.Calls.Count > 1);
        Assert.All(_rotation.Calls, c => Assert.Equal(("INC-KV", true), (c.IncidentId, c.Leaked)));
        Assert.True(_broker.Deliveries[^1].At >= vaultBack);
    }

    [Fact]
    public async Task A_rotation_hand_off_the_queue_refuses_leaves_the_token_unfinished_for_the_next_delivery()
    {
        _broker.FailSends = true;
        var decision = await _host.Processor().ProcessAsync(IncidentTestHost.Message(Disable()), CancellationToken.None);

        Assert.IsType<SettlementDecision.Abandon>(decision);
        Assert.Empty(await _host.Ledger.GetFinishedAsync("INC-KV", LedgerActions.Disable, CancellationToken.None));

        _broker.FailSends = false;
        _host.Kill.Decide = (_, _) => TokenOutcomeKind.AlreadyDisabled;
        Assert.IsType<SettlementDecision.Complete>(await _host.Processor().ProcessAsync(IncidentTestHost.Message(Disable(), deliveryCount: 2), CancellationToken.None));
        Assert.Single(_broker.Sent, m => m.Subject == "rotate");
    }

    [Fact]
    public async Task Without_a_queue_to_hand_to_the_kill_switch_rotates_inline()
    {
        _host.Sender = null;
        Assert.IsType<SettlementDecision.Complete>(await _host.DeliverAsync(Disable()));
        Assert.False(Assert.Single(_host.Kill.Requests).DeferLeakRotation);
    }
}
