using Microsoft.Extensions.DependencyInjection;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;
using TokenFunctions.Engine.Sources.Response;
using TokenFunctions.Engine.Tests.Sources.Support;

namespace TokenFunctions.Engine.UnitTests.Sources;

public sealed class LeakResponderTests : IDisposable
{
    private readonly SourcesHarness _h = SourcesHarness.Create();

    public void Dispose() => _h.Dispose();

    private LeakResponder Responder => _h.Services.GetRequiredService<LeakResponder>();

    [Fact]
    public async Task A_throwing_kill_switch_hands_everything_off()
    {
        _h.Kill.Behavior = (_, _) => throw new InvalidOperationException("boom " + TestTokens.Classic(1));
        var leaks = new[] { Leak.FromSecret(TestTokens.Secret(1), "generic", "c1"), Leak.FromId(TestTokens.Id(2), "generic", "c1") };
        var outcome = await Responder.RespondAsync(new LeakBatch("generic", "c1", leaks) { Reason = "r", Location = "https://x" }, CancellationToken.None);

        Assert.False(outcome.HandOffFailed);
        Assert.Equal([TestTokens.Id(1), TestTokens.Id(2)], outcome.Queued);
        var message = Assert.Single(_h.Queue.Disables);
        Assert.Equal([TestTokens.Id(1).Value, TestTokens.Id(2).Value], message.Tokens);
        Assert.Equal(("generic:c1", "generic", "https://x"), (message.IncidentId, message.Source, message.Location));
        Assert.DoesNotContain(TestTokens.SecretPart(1), _h.Queue.SerializedAll(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_unfinished_tokens_are_queued()
    {
        _h.Kill.Behavior = (r, _) => Task.FromResult(new KillResult(
        [
            new TokenOutcome { TokenId = TestTokens.Id(1), Outcome = TokenOutcomeKind.Disabled },
            new TokenOutcome { TokenId = TestTokens.Id(2), Outcome = TokenOutcomeKind.Failed },
            new TokenOutcome { TokenId = TestTokens.Id(3), Outcome = TokenOutcomeKind.Protected },
        ]));
        var leaks = Enumerable.Range(1, 4).Select(n => Leak.FromSecret(TestTokens.Secret(n), "generic", "c2")).ToList();
        var outcome = await Responder.RespondAsync(new LeakBatch("generic", "c2", leaks), CancellationToken.None);

        // 2 came back Failed, 4 got no outcome at all: both go to the queue; Disabled and Protected do not.
        Assert.Equal([TestTokens.Id(2), TestTokens.Id(4)], outcome.Queued);
        var summary = OutcomeSummary.From("c2", outcome);
        Assert.Equal((1, 2, 1), (summary.Disabled, summary.Queued, summary.NeedsHuman));
    }

    [Fact]
    public async Task Empty_batches_do_nothing()
    {
        var outcome = await Responder.RespondAsync(new LeakBatch("generic", "c3", []), CancellationToken.None);
        Assert.Same(ResponseOutcome.Empty, outcome);
        Assert.Equal(0, _h.Kill.CallCount);
    }

    [Fact]
    public async Task A_hand_off_failure_is_reported_and_audited()
    {
        _h.Kill.Behavior = (r, _) => Task.FromResult(RecordingKillService.Respond(r, TokenOutcomeKind.Failed));
        _h.Queue.Fail = true;
        var outcome = await Responder.RespondAsync(new LeakBatch("generic", "c4", [Leak.FromId(TestTokens.Id(1), "generic", "c4")]), CancellationToken.None);
        Assert.True(outcome.HandOffFailed);
        Assert.Empty(outcome.Queued);
        Assert.Contains(_h.Audit.Records, r => r.Outcome == "HandOffFailed");
    }
}
