using Microsoft.Extensions.Logging;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Incidents.Handlers;

/// <summary>
/// Sends leaks to the kill in batches, records finished tokens in the ledger and checkpoints after every batch.
/// Shared by <c>disable</c> messages and <c>kill-switch</c> selectors, so both settle tokens the same way. With a queue to
/// hand to, the leak rotation of disabled managed credentials goes there (<see cref="LeakRotationHandOff"/>) before the
/// tokens are recorded finished; a hand-off the queue refuses leaves them unfinished, so a later delivery tries again.
/// </summary>
internal sealed class LeakBatchRunner
{
    private readonly IKillService _kill;
    private readonly ILogger _logger;
    private readonly LeakRotationHandOff? _rotation;

    public LeakBatchRunner(IKillService kill, ILogger logger, LeakRotationHandOff? rotation = null)
    {
        _kill = kill;
        _logger = logger;
        _rotation = rotation;
    }

    /// <param name="stopWhenBatchFails">
    /// Stop after a batch in which every token failed transiently: the environment is down, so the budget is better spent on
    /// the other sources. Right for one environment's page, wrong for a <c>disable</c> list whose tokens may live anywhere.
    /// </param>
    public async Task<BatchRunResult> RunAsync(IncidentWork work, IReadOnlyList<Leak> pending, bool stopWhenBatchFails, CancellationToken cancellationToken)
    {
        var run = new TokenListRun(work, _logger);
        var processed = 0;
        foreach (var batch in pending.Chunk(Math.Max(1, work.Options.BatchSize)))
        {
            if (work.ShouldStop)
            {
                return new BatchRunResult(run.Failing, pending.Count - processed, BudgetSpent: true, LeaseLost: false);
            }

            var failingBefore = run.Failing.Count;
            await RunBatchAsync(work, run, batch, cancellationToken).ConfigureAwait(false);
            await run.FlushAsync(cancellationToken).ConfigureAwait(false);
            work.MarkProgress();
            processed += batch.Length;
            if (!await work.CheckpointAsync(cancellationToken).ConfigureAwait(false))
            {
                return new BatchRunResult(run.Failing, pending.Count - processed, BudgetSpent: false, LeaseLost: true);
            }

            if (stopWhenBatchFails && batch.Length >= OutageSample(work) && run.Failing.Count - failingBefore == batch.Length && processed < pending.Count)
            {
                return new BatchRunResult(run.Failing, pending.Count - processed, BudgetSpent: false, LeaseLost: false) { Stopped = true };
            }
        }

        return new BatchRunResult(run.Failing, 0, BudgetSpent: false, LeaseLost: false);
    }

    /// <summary>
    /// One batch through the kill, each token recorded in <paramref name="run"/> (a token with no outcome fails and
    /// is retried), then the leak rotations of the disabled managed credentials handed to the queue.
    /// </summary>
    private async Task RunBatchAsync(IncidentWork work, TokenListRun run, Leak[] batch, CancellationToken cancellationToken)
    {
        var request = new KillRequest(batch) { DryRun = work.Message.DryRun, DeferLeakRotation = _rotation is not null };
        var result = await _kill.DisableAsync(request, cancellationToken).ConfigureAwait(false);
        var outcomes = new Dictionary<TokenId, TokenOutcome>();
        foreach (var outcome in result.Outcomes)
        {
            outcomes.TryAdd(outcome.TokenId, outcome);
        }

        var rotate = new List<TokenId>();
        foreach (var leak in batch)
        {
            if (!outcomes.TryGetValue(leak.TokenId, out var outcome))
            {
                IncidentLog.MissingOutcome(_logger, work.IncidentId, leak.TokenId.Value);
                run.Failing.Add(leak.TokenId);
                continue;
            }

            if (run.Record(outcome) == OutcomeClass.Succeeded && outcome.LeakRotationPending && _rotation is not null)
            {
                rotate.Add(leak.TokenId);
            }
        }

        if (rotate.Count > 0 && !await _rotation!.TryHandOffAsync(work.Message, rotate, cancellationToken).ConfigureAwait(false))
        {
            // Disabled, but its replacement is not durably queued: not finished, so the redelivery finds it
            // AlreadyDisabled and hands the rotation over again.
            run.Unfinish(rotate, "disabled; its leak rotation could not be queued yet");
        }
    }

    /// <summary>How many tokens must all fail in one batch before the environment counts as down rather than flaky.</summary>
    private static int OutageSample(IncidentWork work) => Math.Min(5, Math.Max(1, work.Options.BatchSize));
}
