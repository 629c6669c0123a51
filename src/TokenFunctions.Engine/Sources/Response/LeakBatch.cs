using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;

namespace TokenFunctions.Engine.Sources.Response;

/// <summary>The leaks one accepted request reported, with what the hand-off message needs to carry.</summary>
public sealed record LeakBatch(string Source, string CorrelationId, IReadOnlyList<Leak> Leaks)
{
    public string? Reason { get; init; }

    public string? Location { get; init; }

    public DateTimeOffset? DetectedAt { get; init; }

    public string? Environment { get; init; }

    /// <summary>
    /// The GitHub alert the leaks came from, carried by a hand-off so the queue resolves the alert once it has disabled
    /// the rest. Only the GitHub alert webhook sets it.
    /// </summary>
    public GitHubAlertReference? GitHubAlert { get; init; }

    /// <summary>
    /// The batch with every field inside what the incident contract accepts (<see cref="IncidentFields"/>): what a source
    /// accepted can then always be handed off, and the kill audits the same text the queue would carry. The
    /// correlation id becomes a key that fits <c>{source}:{id}</c>; free text is redacted, single-line and cut with a
    /// marker; names that cannot be a configured environment are dropped. Idempotent.
    /// </summary>
    public LeakBatch Normalized()
    {
        var correlationId = IncidentFields.Key(CorrelationId, IncidentMessageValidator.MaxIncidentIdLength - Source.Length - 1);
        var reason = IncidentFields.Text(Reason, IncidentMessageValidator.MaxReasonLength);
        var location = IncidentFields.Text(Location, IncidentMessageValidator.MaxLocationLength);
        var environment = IncidentFields.Name(Environment, IncidentMessageValidator.MaxNameLength);
        var leaks = new Leak[Leaks.Count];
        for (var i = 0; i < leaks.Length; i++)
        {
            var leak = Leaks[i];
            leaks[i] = leak with
            {
                CorrelationId = correlationId,
                Reason = IncidentFields.Text(leak.Reason, IncidentMessageValidator.MaxReasonLength) ?? reason ?? "leaked",
                Location = IncidentFields.Text(leak.Location, IncidentMessageValidator.MaxLocationLength),
                OwnerHint = IncidentFields.Name(leak.OwnerHint, IncidentMessageValidator.MaxNameLength),
                RequestedBy = IncidentFields.Name(leak.RequestedBy, IncidentMessageValidator.MaxRequestedByLength) ?? Source,
            };
        }

        return this with
        {
            CorrelationId = correlationId,
            Leaks = leaks,
            Reason = reason,
            Location = location,
            Environment = environment,
        };
    }
}
