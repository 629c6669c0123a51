using System.Text.Json.Serialization;

namespace TokenFunctions.Cli.Output;

/// <summary><c>kill</c> (and <c>scan --kill</c>): the outcome of every token, and whether anything needs a human.</summary>
public sealed record KillReport(string IncidentId, bool DryRun, IReadOnlyList<OutcomeRow> Outcomes) : ITableReport
{
    public bool AllSucceeded => Outcomes.All(o => !o.NeedsHuman && !o.Retryable);

    /// <summary>What a success did, for the summary line: "disabled", or "enabled" for <c>enable</c>.</summary>
    [JsonIgnore]
    public string Verb { get; init; } = "disabled";

    /// <summary>The exit code of these outcomes together, by the mixed-outcome rule.</summary>
    [JsonIgnore]
    public int ExitCode => ExitCodes.Combine(Outcomes.Select(o => o.ExitCode));

    public void WriteTable(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var withLocations = Outcomes.Any(o => o.Locations is { Count: > 0 });
        var table = withLocations
            ? new TextTable("TOKEN ID", "KIND", "FINGERPRINT", "OUTCOME", "OWNER", "MS", "FOUND AT", "DETAIL")
            : new TextTable("TOKEN ID", "KIND", "FINGERPRINT", "OUTCOME", "OWNER", "MS", "DETAIL");
        foreach (var o in Outcomes)
        {
            var cells = new List<string?> { o.TokenId, o.Kind, ShortFingerprint(o.Fingerprint), o.Outcome, o.Owner, o.LatencyMs.ToString("0", System.Globalization.CultureInfo.InvariantCulture) };
            if (withLocations)
            {
                cells.Add(o.Locations is { Count: > 0 } l ? string.Join(", ", l) : null);
            }

            cells.Add(o.Detail);
            table.Add([.. cells]);
        }

        table.WriteTo(writer);
        var attention = Outcomes.Count(o => o.NeedsHuman || o.Retryable);
        writer.WriteLine(attention == 0
            ? $"{Outcomes.Count} token(s){(DryRun ? $" (dry run): every one would be {Verb}; nothing was changed" : ": all done")}. Incident {IncidentId}."
            : $"{Outcomes.Count} token(s){(DryRun ? " (dry run)" : string.Empty)}: {attention} need a human or a retry. Incident {IncidentId}.");
    }

    /// <summary>The first 12 hex digits: enough to match the audit trail by eye; json output has the full value.</summary>
    internal static string? ShortFingerprint(string? fingerprint) => fingerprint is { Length: > 12 } f ? "sha256:" + f[..12] : fingerprint;
}
