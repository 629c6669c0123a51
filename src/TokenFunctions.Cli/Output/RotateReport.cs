namespace TokenFunctions.Cli.Output;

/// <summary><c>rotate</c>: the rotation's typed outcome; token ids and the Key Vault secret id, never the new secret.</summary>
public sealed record RotateReport(string SecretName, string Outcome, bool Succeeded, string? OldTokenId, string? NewTokenId, string? SecretId, string? Detail) : ITableReport
{
    public void WriteTable(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        new TextTable("SECRET", "OUTCOME", "OLD TOKEN", "NEW TOKEN", "KEY VAULT VERSION", "DETAIL")
            .Add(SecretName, Outcome, OldTokenId, NewTokenId, SecretId, Detail)
            .WriteTo(writer);
    }
}
