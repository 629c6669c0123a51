using TokenFunctions.Engine.Incidents.Handlers;
using TokenFunctions.Engine.Incidents.Testing;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Incidents;

public sealed class IncidentProcessorEnableAndRotateTests : IDisposable
{
    private readonly IncidentTestHost _host = new();

    public void Dispose() => _host.Dispose();

    private static string Enable(IEnumerable<string> ids, bool dryRun = false) =>
        $$"""{ "version": 1, "type": "enable", "incidentId": "INC-1-undo", "requestedBy": "bob@example.com", "reason": "false positive: test fixture token", "environment": "prod", "dryRun": {{(dryRun ? "true" : "false")}}, "tokenIds": [{{string.Join(", ", ids.Select(t => $"\"{t}\""))}}] }""";

    private static string Rotate(IEnumerable<string> ids, bool dryRun = false) =>
        $$"""{ "version": 1, "type": "rotate", "incidentId": "INC-9", "requestedBy": "platform-team", "dryRun": {{(dryRun ? "true" : "false")}}, "tokenIds": [{{string.Join(", ", ids.Select(t => $"\"{t}\""))}}] }""";

    [Fact]
    public async Task Enable_calls_the_audited_kill_switch_undo_once_per_token_with_who_and_why()
    {
        var ids = new[] { TestTokens.ClassicId(1), TestTokens.PlatformId(2), TestTokens.ClassicId(1) };

        var decision = await _host.DeliverAsync(Enable(ids));

        Assert.IsType<SettlementDecision.Complete>(decision);
        Assert.Equal(2, _host.Kill.EnableCalls.Count);
        Assert.All(_host.Kill.EnableCalls, call =>
        {
            Assert.Equal("bob@example.com", call.RequestedBy);
            Assert.Equal("false positive: test fixture token", call.Reason);
            Assert.Equal("INC-1-undo", call.CorrelationId);
            Assert.Equal("prod", call.OwnerHint);
        });
        Assert.Empty(_host.Kill.Requests);
    }

    [Fact]
    public async Task A_redelivered_enable_does_not_enable_a_finished_token_again_and_retries_the_failed_one()
    {
        _host.Kill.DecideEnable = (id, attempt) => id.Value == TestTokens.ClassicId(2) && attempt == 1 ? TokenOutcomeKind.Failed : TokenOutcomeKind.Disabled;
        var body = Enable([TestTokens.ClassicId(1), TestTokens.ClassicId(2)]);

        var decisions = await _host.DeliverUntilSettledAsync(body);
        var duplicate = await _host.DeliverAsync(body, "duplicate");

        Assert.IsType<SettlementDecision.Abandon>(decisions[0]);
        Assert.IsType<SettlementDecision.Complete>(decisions[1]);
        Assert.IsType<SettlementDecision.Complete>(duplicate);
        Assert.Equal([TestTokens.ClassicId(1), TestTokens.ClassicId(2), TestTokens.ClassicId(2)], _host.Kill.EnableCalls.Select(c => c.TokenId.Value));
    }

    [Fact]
    public async Task A_dry_run_enable_calls_nothing_and_logs_what_it_would_do()
    {
        Assert.IsType<SettlementDecision.Complete>(await _host.DeliverAsync(Enable([TestTokens.ClassicId(1)], dryRun: true)));

        Assert.Empty(_host.Kill.EnableCalls);
        Assert.Contains($"would enable {TestTokens.ClassicId(1)}", _host.Logger.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_denied_enable_is_dead_lettered_for_a_human()
    {
        _host.Kill.DecideEnable = (_, _) => TokenOutcomeKind.Denied;

        var decision = await _host.DeliverAsync(Enable([TestTokens.ClassicId(1)]));

        Assert.Equal(DeadLetterReasons.NeedsHuman, Assert.IsType<SettlementDecision.DeadLetter>(decision).Reason);
    }

    [Fact]
    public async Task Without_the_rotation_capability_rotate_is_dead_lettered_as_unavailable()
    {
        var decision = await _host.DeliverAsync(Rotate([TestTokens.ClassicId(1), TestTokens.ClassicId(2)]));

        var deadLetter = Assert.IsType<SettlementDecision.DeadLetter>(decision);
        Assert.Equal(DeadLetterReasons.RotationUnavailable, deadLetter.Reason);
        Assert.Contains("rotation is not configured for this deployment", deadLetter.Description, StringComparison.Ordinal);
        Assert.Contains($"2 token(s) not rotated: {TestTokens.ClassicId(1)}, {TestTokens.ClassicId(2)}", deadLetter.Description, StringComparison.Ordinal);
        Assert.Equal(1, _host.Metrics.Sum("tokenfunctions.deadletters", "reason", DeadLetterReasons.RotationUnavailable));
    }

    [Fact]
    public async Task A_registered_rotation_handler_rotates_each_token_once_across_redeliveries()
    {
        var rotation = new FakeRotationRequestHandler
        {
            Rotate = (id, attempt) => id.Value == TestTokens.ClassicId(2) && attempt == 1
            ? RotationRequestResult.Failed("Key Vault throttled")
            : RotationRequestResult.Rotated("https://kv.example/secrets/x"),
        };
        _host.Rotation = rotation;

        var decisions = await _host.DeliverUntilSettledAsync(Rotate([TestTokens.ClassicId(1), TestTokens.ClassicId(2)]));

        Assert.IsType<SettlementDecision.Abandon>(decisions[0]);
        Assert.IsType<SettlementDecision.Complete>(decisions[1]);
        Assert.Equal([TestTokens.ClassicId(1), TestTokens.ClassicId(2), TestTokens.ClassicId(2)], rotation.Calls.Select(c => c.Id.Value));
        Assert.All(rotation.Calls, c => Assert.Equal(("INC-9", "platform-team"), (c.IncidentId, c.RequestedBy)));
    }

    [Fact]
    public async Task A_dry_run_rotate_calls_nothing()
    {
        var rotation = new FakeRotationRequestHandler();
        _host.Rotation = rotation;

        Assert.IsType<SettlementDecision.Complete>(await _host.DeliverAsync(Rotate([TestTokens.ClassicId(1)], dryRun: true)));

        Assert.Empty(rotation.Calls);
    }
}
