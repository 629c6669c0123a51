using System.Text;
using System.Text.Json;

namespace TokenFunctions.Engine.Notifications;

/// <summary>Renders an incident as one Adaptive Card (version 1.4) in a Teams webhook message.</summary>
public static class TeamsPayloadBuilder
{
    public static TeamsMessage Build(IncidentView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var s = view.Summary;
        var facts = new List<AdaptiveFact>
        {
            new("Incident", s.CorrelationId),
            new("Source", s.Source + (s.DryRun ? " (dry run: nothing was disabled)" : string.Empty)),
        };
        facts.AddRange(s.Counts.Select(c => new AdaptiveFact(Capitalize(IncidentView.Label(c.Key)), c.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        facts.Add(new AdaptiveFact("Owners", view.Contacts.Count == 0 ? "unknown" : string.Join(", ", view.Contacts)));

        var body = new List<AdaptiveElement>
        {
            AdaptiveElement.TextBlock(view.Title) with { Weight = "Bolder", Size = "Medium", Color = s.NeedsHuman ? "Attention" : "Good" },
            AdaptiveElement.FactSet(facts),
        };

        var listed = view.Tokens.Take(view.MaxListed).ToList();
        var human = listed.Where(t => t.HumanAction is not null).ToList();
        if (human.Count > 0)
        {
            body.Add(AdaptiveElement.TextBlock("What a human must still do") with { Weight = "Bolder", Color = "Attention", Spacing = "Medium" });
            body.AddRange(human.Select(t => AdaptiveElement.TextBlock($"- {Line(t)}\n\n  {t.HumanAction}")));
        }

        var rest = listed.Where(t => t.HumanAction is null).ToList();
        if (rest.Count > 0)
        {
            body.Add(AdaptiveElement.TextBlock("Tokens") with { Weight = "Bolder", Spacing = "Medium" });
            body.AddRange(rest.Select(t => AdaptiveElement.TextBlock("- " + Line(t))));
        }

        var more = view.Tokens.Count - listed.Count;
        body.Add(AdaptiveElement.TextBlock(more > 0 ? $"…and {more} more token(s). Full list: {view.AuditQuery}" : $"Audit trail: {view.AuditQuery}") with { IsSubtle = true, Spacing = "Medium" });

        return new TeamsMessage([new TeamsAttachment(new AdaptiveCard(body))]);
    }

    public static byte[] Serialize(IncidentView view) =>
        JsonSerializer.SerializeToUtf8Bytes(Build(view), NotificationJsonContext.Default.TeamsMessage);

    private static string Line(IncidentTokenView t)
    {
        var sb = new StringBuilder();
        sb.Append(t.Line.TokenId.Value).Append(" — **").Append(IncidentView.Label(t.Line.Outcome)).Append("**");
        if (t.Line.Environment is not null)
        {
            sb.Append(" in ").Append(t.Line.Environment);
        }

        if (t.Line.TokenOwner is not null || t.Contact is not null)
        {
            sb.Append(", owner ").Append(t.Line.TokenOwner ?? "unknown");
            if (t.Contact is not null)
            {
                sb.Append(" → ").Append(t.Contact);
            }
        }

        if (t.Line.ReplacementLocation is not null)
        {
            sb.Append(", replacement secret: ").Append(t.Line.ReplacementLocation);
        }

        if (t.Line.ReplacementProblem is not null)
        {
            sb.Append(", no replacement: ").Append(t.Line.ReplacementProblem);
        }

        if (t.Line.Evidence is not null)
        {
            sb.Append(". ").Append(t.Line.Evidence);
        }

        return sb.ToString();
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
