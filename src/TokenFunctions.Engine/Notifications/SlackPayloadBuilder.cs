using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace TokenFunctions.Engine.Notifications;

/// <summary>Renders an incident as a Slack Block Kit message, within Slack's limits (50 blocks, 3000 characters per text).</summary>
public static partial class SlackPayloadBuilder
{
    private const int MaxHeader = 150;
    private const int MaxSectionText = 2900;

    public static SlackMessage Build(IncidentView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var s = view.Summary;
        var blocks = new List<SlackBlock>
        {
            new("header") { Text = SlackText.Plain(Truncate(view.Title, MaxHeader)) },
            new("section")
            {
                Fields =
                [
                    SlackText.Markdown($"*Incident*\n`{Escape(s.CorrelationId)}`"),
                    SlackText.Markdown($"*Source*\n{Escape(s.Source)}{(s.DryRun ? " (dry run)" : string.Empty)}"),
                    SlackText.Markdown("*Outcomes*\n" + string.Join('\n', s.Counts.Select(c => $"{IncidentView.Label(c.Key)}: {c.Value}"))),
                    SlackText.Markdown("*Owners*\n" + (view.Contacts.Count == 0 ? "unknown" : string.Join(", ", view.Contacts.Select(Contact)))),
                ],
            },
        };

        var listed = view.Tokens.Take(view.MaxListed).ToList();
        var human = listed.Where(t => t.HumanAction is not null).ToList();
        if (human.Count > 0)
        {
            AddSections(blocks, "*What a human must still do*", human.Select(t => Line(t) + $"\n    ↳ {Escape(t.HumanAction!)}"));
        }

        var rest = listed.Where(t => t.HumanAction is null).ToList();
        if (rest.Count > 0)
        {
            AddSections(blocks, "*Tokens*", rest.Select(Line));
        }

        var more = view.Tokens.Count - listed.Count;
        var footer = more > 0
            ? $"…and {more} more token(s). Full list: `{Escape(view.AuditQuery)}`"
            : $"Audit trail: `{Escape(view.AuditQuery)}`";
        blocks.Add(new SlackBlock("context") { Elements = [SlackText.Markdown(footer)] });

        return new SlackMessage($"{view.Title} (incident {s.CorrelationId})", blocks);
    }

    public static byte[] Serialize(IncidentView view) =>
        JsonSerializer.SerializeToUtf8Bytes(Build(view), NotificationJsonContext.Default.SlackMessage);

    private static string Line(IncidentTokenView t)
    {
        var sb = new StringBuilder();
        sb.Append("• `").Append(t.Line.TokenId.Value).Append("` *").Append(IncidentView.Label(t.Line.Outcome)).Append('*');
        if (t.Line.Environment is not null)
        {
            sb.Append(" in `").Append(Escape(t.Line.Environment)).Append('`');
        }

        if (t.Line.TokenOwner is not null || t.Contact is not null)
        {
            sb.Append(" · owner ").Append(Escape(t.Line.TokenOwner ?? "unknown"));
            if (t.Contact is not null)
            {
                sb.Append(" → ").Append(Contact(t.Contact));
            }
        }

        if (t.Line.ReplacementLocation is not null)
        {
            sb.Append("\n    ↳ replacement secret: ").Append(Escape(t.Line.ReplacementLocation));
        }

        if (t.Line.ReplacementProblem is not null)
        {
            sb.Append("\n    ↳ no replacement: ").Append(Escape(t.Line.ReplacementProblem));
        }

        if (t.Line.Evidence is not null)
        {
            sb.Append("\n    ↳ ").Append(Escape(t.Line.Evidence));
        }

        return sb.ToString();
    }

    private static void AddSections(List<SlackBlock> blocks, string heading, IEnumerable<string> lines)
    {
        var text = new StringBuilder(heading);
        foreach (var line in lines)
        {
            var bounded = Truncate(line, MaxSectionText - heading.Length - 1);
            if (text.Length + 1 + bounded.Length > MaxSectionText)
            {
                blocks.Add(new SlackBlock("section") { Text = SlackText.Markdown(text.ToString()) });
                text.Clear().Append(heading);
            }

            text.Append('\n').Append(bounded);
        }

        blocks.Add(new SlackBlock("section") { Text = SlackText.Markdown(text.ToString()) });
    }

    /// <summary>Slack mentions (<c>&lt;@U…&gt;</c>, <c>&lt;#C…&gt;</c>, <c>&lt;!subteam^…&gt;</c>) stay live; anything else is text.</summary>
    private static string Contact(string contact) => SlackMention().IsMatch(contact) ? contact : Escape(contact);

    /// <summary>Slack's three control characters; everything else in mrkdwn is harmless text.</summary>
    internal static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Truncate(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");

    [GeneratedRegex(@"^<(@[A-Z0-9]+|#[A-Z0-9]+|!subteam\^[A-Z0-9]+|!here|!channel)>$")]
    private static partial Regex SlackMention();
}
