namespace TokenFunctions.Cli.Output;

/// <summary><c>status</c>: the pre-flight of every configured environment and account, and the audit store.</summary>
public sealed record StatusReport(IReadOnlyList<StatusRow> Targets) : ITableReport
{
    public bool Healthy => Targets.All(t => t.Ok);

    public void WriteTable(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var table = new TextTable("TARGET", "REACHABLE", "CREDENTIAL", "SCOPES", "DETAIL");
        foreach (var t in Targets)
        {
            table.Add(t.Target, YesNo(t.Reachable), t.Reachable ? (t.CredentialValid ? "valid" : "INVALID") : "?", t.CredentialValid ? (t.ScopesSufficient ? "sufficient" : "MISSING " + string.Join(',', t.MissingScopes)) : "?", t.Detail);
        }

        table.WriteTo(writer);
        writer.WriteLine(Healthy ? $"All {Targets.Count} target(s) ready." : $"{Targets.Count(t => !t.Ok)} of {Targets.Count} target(s) have a problem.");
    }

    private static string YesNo(bool value) => value ? "yes" : "NO";
}

public sealed record StatusRow(string Target, bool Reachable, bool CredentialValid, bool ScopesSufficient, IReadOnlyList<string> MissingScopes, string? Detail)
{
    public bool Ok => Reachable && CredentialValid && ScopesSufficient;
}
