using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Handlers;
using TokenFunctions.Engine.Incidents.Ledger;
using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.UnitTests.Incidents;

/// <summary>One token's outcome is recorded by its class, the same way for every token-list action.</summary>
public sealed class TokenListRunTests
{
    private static readonly TokenId Done = TokenId.Parse("dt0c01.AAAAAAAAAAAAAAAAAAAAAAAA");
    private static readonly TokenId Gone = TokenId.Parse("dt0c01.BBBBBBBBBBBBBBBBBBBBBBBB");
    private static readonly TokenId Refused = TokenId.Parse("dt0c01.CCCCCCCCCCCCCCCCCCCCCCCC");
    private static readonly TokenId Flaky = TokenId.Parse("dt0c01.DDDDDDDDDDDDDDDDDDDDDDDD");

    private readonly InMemoryIncidentLedger _ledger = new();
    private readonly IncidentWork _work;

    public TokenListRunTests()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
        _work = new IncidentWork(
            new EnableMessage { IncidentId = "INC-1", TokenIds = [Done.Value, Gone.Value, Refused.Value, Flaky.Value] },
            new IncomingIncidentMessage(ReadOnlyMemory<byte>.Empty, "m-1", 1, time.GetUtcNow()),
            new IncidentProgress { IncidentId = "INC-1", WorkId = "w-1", MessageType = "enable" },
            LedgerActions.Enable,
            [],
            new InMemoryIncidentProgressStore(),
            _ledger,
            time,
            new IncidentsOptions());
    }

    [Fact]
    public async Task Successes_and_settled_are_finished_and_counted_a_human_is_listed_and_a_retry_is_failing()
    {
        var run = new TokenListRun(_work, NullLogger.Instance);

        Assert.Equal(OutcomeClass.Succeeded, run.Record(new TokenOutcome { TokenId = Done, Outcome = TokenOutcomeKind.Enabled }));
        Assert.Equal(OutcomeClass.Settled, run.Record(new TokenOutcome { TokenId = Gone, Outcome = TokenOutcomeKind.NotFound }));
        Assert.Equal(OutcomeClass.NeedsHuman, run.Record(new TokenOutcome { TokenId = Refused, Outcome = TokenOutcomeKind.Denied, Owner = "prod", Detail = "HTTP 403" }));
        Assert.Equal(OutcomeClass.Retry, run.Record(new TokenOutcome { TokenId = Flaky, Outcome = TokenOutcomeKind.Failed }));

        // Nothing reaches the ledger or the counters before the flush; the needs-human line is there at once.
        Assert.Empty(await _ledger.GetFinishedAsync("INC-1", LedgerActions.Enable, CancellationToken.None));
        Assert.Equal(0, _work.Progress.Succeeded);
        Assert.Equal([$"{Refused} Denied in prod (HTTP 403)"], _work.Progress.NeedsHuman);
        Assert.Equal([Flaky], run.Failing);

        await run.FlushAsync(CancellationToken.None);
        var finished = await _ledger.GetFinishedAsync("INC-1", LedgerActions.Enable, CancellationToken.None);
        // The ledger keeps no order between tokens.
        Assert.Equal([(Done, "Enabled"), (Gone, "NotFound")], finished.Select(e => (e.TokenId, e.Outcome)).OrderBy(e => e.TokenId.Value, StringComparer.Ordinal));
        Assert.True(_work.IsFinished(Done));
        Assert.False(_work.IsFinished(Refused));
        Assert.Equal(1L, _work.Progress.Succeeded);
        Assert.Equal(1L, _work.Progress.Settled);
        Assert.Equal(1L, _work.Progress.NeedsHumanCount);

        // A second flush writes and counts nothing again.
        await run.FlushAsync(CancellationToken.None);
        Assert.Equal(1L, _work.Progress.Succeeded);
        Assert.Equal(2, (await _ledger.GetFinishedAsync("INC-1", LedgerActions.Enable, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task A_success_taken_back_before_the_flush_is_neither_finished_nor_counted_but_failing()
    {
        var run = new TokenListRun(_work, NullLogger.Instance);
        run.Record(new TokenOutcome { TokenId = Done, Outcome = TokenOutcomeKind.Disabled, LeakRotationPending = true });
        run.Record(new TokenOutcome { TokenId = Gone, Outcome = TokenOutcomeKind.AlreadyDisabled });

        run.Unfinish([Done], "disabled; its leak rotation could not be queued yet");
        await run.FlushAsync(CancellationToken.None);

        Assert.Equal([Done], run.Failing);
        Assert.False(_work.IsFinished(Done));
        Assert.True(_work.IsFinished(Gone));
        Assert.Equal(1L, _work.Progress.Succeeded);
    }
}
