namespace TokenFunctions.Cli.Output;

/// <summary><c>kill-switch</c>: the durable progress of the selector's incident after this run.</summary>
public sealed record KillSwitchReport(
    string IncidentId,
    string WorkId,
    bool DryRun,
    string State,
    string? Settlement,
    long Succeeded,
    long Settled,
    long NeedsHumanCount,
    IReadOnlyList<string> NeedsHuman,
    IReadOnlyList<KillSwitchTargetRow> Sources,
    int Deliveries) : ITableReport
{
    public string? Note { get; init; }

    public void WriteTable(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var table = new TextTable("SOURCE", "LISTED", "FINISHED", "WAITING RETRY");
        foreach (var s in Sources)
        {
            table.Add(s.Source, s.Listed.ToString(System.Globalization.CultureInfo.InvariantCulture), s.Finished ? "yes" : "no", s.WaitingRetry.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        table.WriteTo(writer);
        writer.WriteLine($"Incident {IncidentId}{(DryRun ? " (dry run)" : string.Empty)}: {State}, {Succeeded} {(DryRun ? "would be disabled" : "disabled or already disabled")}, {Settled} settled (not found, protected, unsupported), {NeedsHumanCount} need a human; {Deliveries} run(s). {Settlement}");
        foreach (var line in NeedsHuman)
        {
            writer.WriteLine("  needs a human: " + line);
        }

        if (Note is not null)
        {
            writer.WriteLine(Note);
        }
    }
}

public sealed record KillSwitchTargetRow(string Source, long Listed, bool Finished, int WaitingRetry);
