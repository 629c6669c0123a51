using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Notifications;

/// <summary>
/// Everything one notification says about one incident (correlation id): per-token outcomes, owners, replacement
/// locations and what is left for a human. One message per incident, however many tokens it covers.
/// </summary>
public sealed record IncidentSummary
{
    /// <summary>The delivery, alert or incident id that ties the decisions (and their audit records) together.</summary>
    public required string CorrelationId { get; init => field = Redaction.Redact(value)!; }

    public required string Source { get; init => field = Redaction.Redact(value)!; }

    public bool DryRun { get; init; }

    public DateTimeOffset OccurredAt { get; init; }

    /// <summary>One line per distinct token.</summary>
    public required IReadOnlyList<IncidentTokenLine> Tokens { get; init; }

    public bool NeedsHuman => Tokens.Any(t => t.NeedsHuman);

    public int Count(TokenOutcomeKind outcome) => Tokens.Count(t => t.Outcome == outcome);

    /// <summary>Outcome counts in the enum's order (successes first), only those that occur.</summary>
    public IReadOnlyList<KeyValuePair<TokenOutcomeKind, int>> Counts =>
        Tokens.GroupBy(t => t.Outcome).OrderBy(g => g.Key).Select(g => KeyValuePair.Create(g.Key, g.Count())).ToList();

    public static IncidentSummary From(KillResult result, string correlationId, string source, bool dryRun, DateTimeOffset occurredAt)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new IncidentSummary
        {
            CorrelationId = correlationId,
            Source = source,
            DryRun = dryRun,
            OccurredAt = occurredAt,
            Tokens = Distinct(result.Outcomes.Select(IncidentTokenLine.From)),
        };
    }

    /// <summary>
    /// Folds the summaries of one incident into one (a kill-switch may finish across several batches or deliveries).
    /// Per token the later line wins, except that <c>AlreadyDisabled</c> never hides an earlier <c>Disabled</c>, and a
    /// replacement location, once known, is kept.
    /// </summary>
    public static IReadOnlyList<IncidentSummary> MergeByIncident(IEnumerable<IncidentSummary> summaries)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        return summaries
            .GroupBy(s => s.CorrelationId, StringComparer.Ordinal)
            .Select(g => g.Count() == 1 ? g.First() : g.First() with
            {
                DryRun = g.All(s => s.DryRun),
                OccurredAt = g.Min(s => s.OccurredAt),
                Tokens = Distinct(g.SelectMany(s => s.Tokens)),
            })
            .ToList();
    }

    private static IReadOnlyList<IncidentTokenLine> Distinct(IEnumerable<IncidentTokenLine> lines)
    {
        var byToken = new Dictionary<string, IncidentTokenLine>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var line in lines)
        {
            var key = line.TokenId.Value;
            if (!byToken.TryGetValue(key, out var earlier))
            {
                byToken[key] = line;
                order.Add(key);
                continue;
            }

            var winner = earlier.Outcome == TokenOutcomeKind.Disabled && line.Outcome == TokenOutcomeKind.AlreadyDisabled ? earlier : line;
            byToken[key] = winner with
            {
                ReplacementLocation = line.ReplacementLocation ?? earlier.ReplacementLocation,
                ReplacementProblem = line.ReplacementProblem ?? earlier.ReplacementProblem,
                Evidence = line.Evidence ?? earlier.Evidence,
                LastUsedAt = line.LastUsedAt ?? earlier.LastUsedAt,
                LastUsedFrom = line.LastUsedFrom ?? earlier.LastUsedFrom,
                NotifyContact = line.NotifyContact ?? earlier.NotifyContact,
                TokenOwner = winner.TokenOwner ?? earlier.TokenOwner ?? line.TokenOwner,
                Environment = winner.Environment ?? earlier.Environment ?? line.Environment,
            };
        }

        return order.Select(k => byToken[k]).ToList();
    }
}
