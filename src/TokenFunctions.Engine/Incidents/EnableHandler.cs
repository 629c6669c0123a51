using Microsoft.Extensions.Logging;
using TokenFunctions.Engine.KillSwitch;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Incidents;

/// <summary>
/// <c>enable</c>: undo a false positive, one token at a time through <see cref="IKillSwitch.EnableAsync"/>, which audits
/// each decision with who asked and why. A dry run calls nothing and only logs what it would enable.
/// </summary>
internal sealed class EnableHandler : IIncidentHandler
{
    private readonly IKillSwitch _killSwitch;
    private readonly ILogger _logger;

    public EnableHandler(IKillSwitch killSwitch, ILogger logger)
    {
        _killSwitch = killSwitch;
        _logger = logger;
    }

    public string LedgerAction(IncidentMessage message) => LedgerActions.Enable;

    public async Task<WorkOutcome> RunAsync(IncidentWork work, CancellationToken cancellationToken)
    {
        var message = (EnableMessage)work.Message;
        if (!work.TryStartTokenList(message.TokenIds, "enable", _logger, out var ids))
        {
            return WorkOutcome.Finished; // a dry run
        }

        var reason = Redaction.Redact(message.Reason)!;
        var failing = new List<TokenId>();
        var tried = 0;
        foreach (var chunk in ids.Chunk(Math.Max(1, work.Options.BatchSize)))
        {
            var finished = new List<(TokenId, string)>();
            int succeeded = 0, settled = 0;
            foreach (var id in chunk)
            {
                if (work.ShouldStop)
                {
                    break;
                }

                var outcome = await _killSwitch.EnableAsync(id, message.Environment, message.IncidentId, message.RequestedBy!, reason, cancellationToken).ConfigureAwait(false);
                tried++;
                work.MarkProgress();
                switch (OutcomeClassifier.Classify(outcome.Outcome))
                {
                    case OutcomeClass.Retry:
                        IncidentLog.Failing(_logger, work.IncidentId, id.Value, outcome.Owner, Redaction.Redact(outcome.Detail));
                        failing.Add(id);
                        break;
                    case OutcomeClass.NeedsHuman:
                        IncidentLog.NeedsHuman(_logger, work.IncidentId, id.Value, outcome.Outcome.ToString(), outcome.Owner, Redaction.Redact(outcome.Detail));
                        work.AddNeedsHuman(LeakBatchRunner.NeedsHumanLine(outcome));
                        break;
                    case OutcomeClass.Settled:
                        IncidentLog.TokenDone(_logger, work.IncidentId, id.Value, outcome.Outcome.ToString(), outcome.Owner);
                        finished.Add((id, outcome.Outcome.ToString()));
                        settled++;
                        break;
                    default:
                        IncidentLog.TokenDone(_logger, work.IncidentId, id.Value, outcome.Outcome.ToString(), outcome.Owner);
                        finished.Add((id, outcome.Outcome.ToString()));
                        succeeded++;
                        break;
                }
            }

            await work.RecordFinishedAsync(finished, cancellationToken).ConfigureAwait(false);
            work.CountSucceeded(succeeded);
            work.CountSettled(settled);
            if (!await work.CheckpointAsync(cancellationToken).ConfigureAwait(false))
            {
                return WorkOutcome.Lost;
            }

            if (work.ShouldStop && tried < ids.Count)
            {
                return new WorkOutcome { Failing = failing, BudgetSpent = true, Unfinished = [$"{ids.Count - tried:N0} token(s) not tried yet"] };
            }
        }

        return new WorkOutcome { Failing = failing };
    }
}
