using System.Text.Json;

namespace TokenFunctions.Engine.Notifications;

/// <summary>Renders an incident as <see cref="GenericIncidentPayload"/>: all tokens (up to <see cref="MaxTokens"/>), as data.</summary>
public static class GenericPayloadBuilder
{
    /// <summary>Keeps a mass kill-switch message under typical webhook body limits (~1 MB).</summary>
    public const int MaxTokens = 1000;

    public static GenericIncidentPayload Build(IncidentView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var s = view.Summary;
        return new GenericIncidentPayload
        {
            IncidentId = s.CorrelationId,
            Source = s.Source,
            DryRun = s.DryRun,
            OccurredAt = s.OccurredAt,
            Title = view.Title,
            NeedsHuman = s.NeedsHuman,
            Counts = s.Counts.ToDictionary(c => c.Key.ToString(), c => c.Value, StringComparer.Ordinal),
            Contacts = view.Contacts,
            Tokens = view.Tokens.Take(MaxTokens).Select(t => new GenericTokenPayload
            {
                TokenId = t.Line.TokenId.Value,
                Kind = t.Line.Kind.ToString(),
                Outcome = t.Line.Outcome.ToString(),
                Environment = t.Line.Environment,
                Owner = t.Line.TokenOwner,
                Contact = t.Contact,
                ReplacementLocation = t.Line.ReplacementLocation,
                ReplacementProblem = t.Line.ReplacementProblem,
                LastUsedAt = t.Line.LastUsedAt,
                LastUsedFrom = t.Line.LastUsedFrom,
                Evidence = t.Line.Evidence,
                HumanAction = t.HumanAction,
                Detail = t.Line.Detail,
            }).ToList(),
            Omitted = Math.Max(0, view.Tokens.Count - MaxTokens),
            AuditQuery = view.AuditQuery,
        };
    }

    public static byte[] Serialize(IncidentView view) =>
        JsonSerializer.SerializeToUtf8Bytes(Build(view), NotificationJsonContext.Default.GenericIncidentPayload);
}
