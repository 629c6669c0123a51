using Microsoft.Extensions.Logging;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Incidents.Handlers;

/// <summary>
/// Records one token's outcome the same way for every token-list action (<c>disable</c> and <c>kill-switch</c> batches,
/// <c>enable</c>, <c>rotate</c>), by its <see cref="OutcomeClass"/>: a transient one is logged and joins
/// <see cref="Failing"/> (the next delivery retries it); one that needs a human is logged and added to the needs-human
/// list, not finished (resubmitting the message retries it); a success or a settled one is logged, recorded finished in
/// the incident ledger and counted. Finished tokens and counts wait for <see cref="FlushAsync"/>, which the handler calls
/// before it checkpoints (after a batch, a chunk or one token). Created inside a handler's run, one per run.
/// </summary>
internal sealed class TokenListRun(IncidentWork work, ILogger logger)
{
    private readonly List<(TokenId Id, string Outcome)> _finished = [];
    private int _succeeded;
    private int _settled;

    /// <summary>The tokens that failed transiently in this run, in the order they failed.</summary>
    public List<TokenId> Failing { get; } = [];

    /// <summary>A kill-switch outcome (disable or enable); returns its class.</summary>
    public OutcomeClass Record(TokenOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var name = outcome.Outcome.ToString();
        Record(outcome.TokenId, outcome.Class, name, outcome.Owner, Redaction.Redact(outcome.Detail), () => NeedsHumanLine(outcome));
        return outcome.Class;
    }

    /// <param name="outcome">The outcome's name, for the log and (when finished) the ledger.</param>
    /// <param name="detail">Already redacted.</param>
    /// <param name="needsHumanLine">The line for the needs-human list, made only when the outcome needs a human.</param>
    public void Record(TokenId id, OutcomeClass outcomeClass, string outcome, string? owner, string? detail, Func<string> needsHumanLine)
    {
        ArgumentNullException.ThrowIfNull(needsHumanLine);
        switch (outcomeClass)
        {
            case OutcomeClass.Retry:
                IncidentLog.Failing(logger, work.IncidentId, id.Value, owner, detail);
                Failing.Add(id);
                break;
            case OutcomeClass.NeedsHuman:
                IncidentLog.NeedsHuman(logger, work.IncidentId, id.Value, outcome, owner, detail);
                work.AddNeedsHuman(needsHumanLine());
                break;
            default:
                IncidentLog.TokenDone(logger, work.IncidentId, id.Value, outcome, owner);
                _finished.Add((id, outcome));
                if (outcomeClass == OutcomeClass.Succeeded)
                {
                    _succeeded++;
                }
                else
                {
                    _settled++;
                }

                break;
        }
    }

    /// <summary>
    /// Takes back successes recorded since the last flush that are not finished after all (a disabled token whose leak
    /// rotation could not be queued): not written to the ledger, not counted, failing with <paramref name="detail"/>.
    /// </summary>
    public void Unfinish(IReadOnlyList<TokenId> ids, string detail)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var waiting = ids.ToHashSet();
        _succeeded -= _finished.RemoveAll(f => waiting.Contains(f.Id));
        foreach (var id in ids)
        {
            IncidentLog.Failing(logger, work.IncidentId, id.Value, null, detail);
            Failing.Add(id);
        }
    }

    /// <summary>Writes the finished tokens to the ledger, then counts them in the progress.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await work.RecordFinishedAsync([.. _finished], cancellationToken).ConfigureAwait(false);
        work.CountSucceeded(_succeeded);
        work.CountSettled(_settled);
        _finished.Clear();
        _succeeded = 0;
        _settled = 0;
    }

    /// <summary>"{id} {outcome} in {owner} ({detail})", the detail redacted and cut at 160 characters.</summary>
    internal static string NeedsHumanLine(TokenOutcome outcome)
    {
        var owner = outcome.Owner is null ? string.Empty : $" in {outcome.Owner}";
        var detail = Redaction.Redact(outcome.Detail);
        if (detail is { Length: > 160 })
        {
            detail = detail[..160] + "…";
        }

        return string.IsNullOrWhiteSpace(detail)
            ? $"{outcome.TokenId} {outcome.Outcome}{owner}"
            : $"{outcome.TokenId} {outcome.Outcome}{owner} ({detail})";
    }
}
