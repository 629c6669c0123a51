using TokenFunctions.Engine.Kill;

namespace TokenFunctions.Engine.Notifications;

/// <summary>
/// An <see cref="IncidentSummary"/> ready to render: contacts resolved, tokens ordered (a human's work first, then
/// pending retries, then the rest), a headline. Shared by the Teams, Slack and generic payloads so they say the same.
/// </summary>
public sealed record IncidentView
{
    public required IncidentSummary Summary { get; init; }

    public required IReadOnlyList<IncidentTokenView> Tokens { get; init; }

    /// <summary>How many tokens a chat message lists before it says "and N more".</summary>
    public required int MaxListed { get; init; }

    public required string Title { get; init; }

    /// <summary>Distinct contacts of every token's owner, in token order.</summary>
    public required IReadOnlyList<string> Contacts { get; init; }

    /// <summary>The audit query that lists everything about this incident.</summary>
    public string AuditQuery => "GET /api/audit?incidentId=" + Uri.EscapeDataString(Summary.CorrelationId);

    public static IncidentView Create(IncidentSummary summary, NotificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(options);
        var contacts = new Dictionary<string, string>(options.OwnerContacts, StringComparer.OrdinalIgnoreCase);
        var tokens = summary.Tokens
            .Select(line => new IncidentTokenView(line, Contact(contacts, options.DefaultContact, line)))
            .OrderBy(t => t.Line.NeedsHuman ? 0 : OutcomeClassifier.Classify(t.Line.Outcome) == OutcomeClass.Retry ? 1 : 2)
            .ToList();
        return new IncidentView
        {
            Summary = summary,
            Tokens = tokens,
            MaxListed = options.MaxTokensListed,
            Title = TitleOf(summary),
            Contacts = tokens.Select(t => t.Contact).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
        };
    }

    /// <summary>The words for <paramref name="outcome"/> (<see cref="OutcomeRule.Label"/>).</summary>
    public static string Label(TokenOutcomeKind outcome) => OutcomeClassifier.Rule(outcome).Label;

    private static string? Contact(Dictionary<string, string> contacts, string? fallback, IncidentTokenLine line)
    {
        // The credential's own tag names the team that must swap it in; it knows better than a generic owner mapping.
        if (!string.IsNullOrWhiteSpace(line.NotifyContact))
        {
            return line.NotifyContact;
        }

        if (line.TokenOwner is not null && contacts.TryGetValue(line.TokenOwner, out var byOwner))
        {
            return byOwner;
        }

        if (line.Environment is not null && contacts.TryGetValue(line.Environment, out var byEnvironment))
        {
            return byEnvironment;
        }

        return string.IsNullOrWhiteSpace(fallback) ? null : fallback;
    }

    private static string TitleOf(IncidentSummary summary)
    {
        var counts = string.Join(", ", summary.Counts.Select(c => $"{c.Value} {Label(c.Key)}"));
        var human = summary.Tokens.Count(t => t.NeedsHuman);
        var noun = summary.Tokens.Count == 1 ? "token" : "tokens";
        var prefix = summary.DryRun ? "[DRY RUN] " : string.Empty;
        var suffix = human > 0 ? $" — {human} need{(human == 1 ? "s" : string.Empty)} a human" : string.Empty;
        return $"{prefix}Leaked Dynatrace {noun}: {counts}{suffix}";
    }
}

/// <summary>One token with the person to tell about it.</summary>
public sealed record IncidentTokenView(IncidentTokenLine Line, string? Contact)
{
    public string? HumanAction => Line.HumanAction;
}
