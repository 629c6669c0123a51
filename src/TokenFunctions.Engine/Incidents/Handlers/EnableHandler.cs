using Microsoft.Extensions.Logging;
using TokenFunctions.Engine.Incidents.Ledger;
using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Incidents.Handlers;

/// <summary>
/// <c>enable</c>: undo a false positive, one token at a time through <see cref="IKillService.EnableAsync"/>, which audits
/// each decision with who asked and why. A dry run calls nothing and only logs what it would enable.
/// </summary>
internal sealed class EnableHandler(IKillService kill, ILogger logger) : IIncidentHandler
{
    public string LedgerAction(IncidentMessage message) => LedgerActions.Enable;

    public async Task<WorkOutcome> RunAsync(IncidentWork work, CancellationToken cancellationToken)
    {
        var message = (EnableMessage)work.Message;
        if (!work.TryStartTokenList(message.TokenIds, "enable", logger, out var ids))
        {
            return WorkOutcome.Finished; // a dry run
        }

        var reason = Redaction.Redact(message.Reason)!;
        var run = new TokenListRun(work, logger);
        var tried = 0;
        foreach (var chunk in ids.Chunk(Math.Max(1, work.Options.BatchSize)))
        {
            foreach (var id in chunk)
            {
                if (work.ShouldStop)
                {
                    break;
                }

                var outcome = await kill.EnableAsync(id, message.Environment, message.IncidentId, message.RequestedBy!, reason, cancellationToken).ConfigureAwait(false);
                tried++;
                work.MarkProgress();
                run.Record(outcome);
            }

            await run.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (!await work.CheckpointAsync(cancellationToken).ConfigureAwait(false))
            {
                return WorkOutcome.Lost;
            }

            if (work.ShouldStop && tried < ids.Count)
            {
                return new WorkOutcome { Failing = run.Failing, BudgetSpent = true, Unfinished = [$"{ids.Count - tried:N0} token(s) not tried yet"] };
            }
        }

        return new WorkOutcome { Failing = run.Failing };
    }
}
