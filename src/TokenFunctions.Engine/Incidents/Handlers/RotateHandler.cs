using System.Globalization;
using Microsoft.Extensions.Logging;
using TokenFunctions.Engine.Incidents.Ledger;
using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Incidents.Handlers;

/// <summary>
/// <c>rotate</c>: one token at a time through <see cref="IRotationRequestHandler"/> (a <see cref="RotateMessage.Leaked"/>
/// message as a leak rotation). Without the rotation capability the first answer is
/// <see cref="RotationRequestStatus.Unavailable"/> and the message is dead-lettered at once.
/// </summary>
internal sealed class RotateHandler(IRotationRequestHandler rotation, ILogger logger) : IIncidentHandler
{
    public string LedgerAction(IncidentMessage message) => LedgerActions.Rotate;

    public async Task<WorkOutcome> RunAsync(IncidentWork work, CancellationToken cancellationToken)
    {
        var message = (RotateMessage)work.Message;
        if (!work.TryStartTokenList(message.TokenIds, "rotate", logger, out var ids))
        {
            return WorkOutcome.Finished; // a dry run
        }

        var requestedBy = message.RequestedBy ?? message.Source ?? IncidentLeaks.DefaultSource;
        var run = new TokenListRun(work, logger);
        for (var i = 0; i < ids.Count; i++)
        {
            if (work.ShouldStop)
            {
                return new WorkOutcome { Failing = run.Failing, BudgetSpent = true, Unfinished = [$"{ids.Count - i:N0} token(s) not tried yet"] };
            }

            var id = ids[i];
            var result = message.Leaked
                ? await rotation.ReplaceLeakedAsync(id, message.IncidentId, requestedBy, cancellationToken).ConfigureAwait(false)
                : await rotation.RotateAsync(id, message.IncidentId, requestedBy, cancellationToken).ConfigureAwait(false);
            var detail = Redaction.Redact(result.Detail);
            if (result.Status == RotationRequestStatus.Unavailable)
            {
                return new WorkOutcome { Terminal = Unavailable(ids, i, detail) };
            }

            Record(run, id, result.Status, detail);
            await run.FlushAsync(cancellationToken).ConfigureAwait(false);
            work.MarkProgress();
            if (!await work.CheckpointAsync(cancellationToken).ConfigureAwait(false))
            {
                return WorkOutcome.Lost;
            }
        }

        return new WorkOutcome { Failing = run.Failing };
    }

    /// <summary>A refused rotation is logged as <c>RotationRefused</c>; every other answer under its status's name.</summary>
    private static void Record(TokenListRun run, TokenId id, RotationRequestStatus status, string? detail)
    {
        var outcomeClass = RotationRequestStatuses.Classify(status);
        var name = outcomeClass == OutcomeClass.NeedsHuman ? "RotationRefused" : status.ToString();
        run.Record(id, outcomeClass, name, null, detail, () => detail is null ? $"{id} rotation refused" : $"{id} rotation refused ({detail})");
    }

    /// <summary>The deployment cannot rotate: the message is dead-lettered with every token not yet rotated.</summary>
    private static IncidentMessageError Unavailable(List<TokenId> ids, int from, string? detail) => new(
        DeadLetterReasons.RotationUnavailable,
        string.Create(
            CultureInfo.InvariantCulture,
            $"{detail ?? UnavailableRotationRequestHandler.Description}. {ids.Count - from:N0} token(s) not rotated: {DescriptionText.JoinBounded(ids.Skip(from).Select(t => t.Value), 1500)}. Enable the rotation capability, or rotate these credentials by hand."));
}
