using System.Globalization;
using Microsoft.Extensions.Logging;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Incidents;

/// <summary>
/// <c>rotate</c>: one token at a time through <see cref="IRotationRequestHandler"/> (a <see cref="RotateMessage.Leaked"/>
/// message as a leak rotation). Without the rotation capability the first answer is
/// <see cref="RotationRequestStatus.Unavailable"/> and the message is dead-lettered at once.
/// </summary>
internal sealed class RotateHandler : IIncidentHandler
{
    private readonly IRotationRequestHandler _rotation;
    private readonly ILogger _logger;

    public RotateHandler(IRotationRequestHandler rotation, ILogger logger)
    {
        _rotation = rotation;
        _logger = logger;
    }

    public string LedgerAction(IncidentMessage message) => LedgerActions.Rotate;

    public async Task<WorkOutcome> RunAsync(IncidentWork work, CancellationToken cancellationToken)
    {
        var message = (RotateMessage)work.Message;
        if (!work.TryStartTokenList(message.TokenIds, "rotate", _logger, out var ids))
        {
            return WorkOutcome.Finished; // a dry run
        }

        var requestedBy = message.RequestedBy ?? message.Source ?? IncidentLeaks.DefaultSource;
        var failing = new List<TokenId>();
        for (var i = 0; i < ids.Count; i++)
        {
            if (work.ShouldStop)
            {
                return new WorkOutcome { Failing = failing, BudgetSpent = true, Unfinished = [$"{ids.Count - i:N0} token(s) not tried yet"] };
            }

            var id = ids[i];
            var result = message.Leaked
                ? await _rotation.ReplaceLeakedAsync(id, message.IncidentId, requestedBy, cancellationToken).ConfigureAwait(false)
                : await _rotation.RotateAsync(id, message.IncidentId, requestedBy, cancellationToken).ConfigureAwait(false);
            var detail = Redaction.Redact(result.Detail);
            switch (result.Status)
            {
                case RotationRequestStatus.Unavailable:
                    return new WorkOutcome
                    {
                        Terminal = new IncidentMessageError(DeadLetterReasons.RotationUnavailable, string.Create(
                            CultureInfo.InvariantCulture,
                            $"{detail ?? UnavailableRotationRequestHandler.Description}. {ids.Count - i:N0} token(s) not rotated: {DescriptionText.JoinBounded(ids.Skip(i).Select(t => t.Value), 1500)}. Enable the rotation capability, or rotate these credentials by hand.")),
                    };
                case RotationRequestStatus.Failed:
                    IncidentLog.Failing(_logger, work.IncidentId, id.Value, null, detail);
                    failing.Add(id);
                    break;
                case RotationRequestStatus.NeedsHuman:
                    IncidentLog.NeedsHuman(_logger, work.IncidentId, id.Value, "RotationRefused", null, detail);
                    work.AddNeedsHuman(detail is null ? $"{id} rotation refused" : $"{id} rotation refused ({detail})");
                    break;
                default:
                    IncidentLog.TokenDone(_logger, work.IncidentId, id.Value, result.Status.ToString(), null);
                    await work.RecordFinishedAsync([(id, result.Status.ToString())], cancellationToken).ConfigureAwait(false);
                    if (result.Status == RotationRequestStatus.Rotated)
                    {
                        work.CountSucceeded(1);
                    }
                    else
                    {
                        work.CountSettled(1);
                    }

                    break;
            }

            work.MarkProgress();
            if (!await work.CheckpointAsync(cancellationToken).ConfigureAwait(false))
            {
                return WorkOutcome.Lost;
            }
        }

        return new WorkOutcome { Failing = failing };
    }
}
