namespace TokenFunctions.KeyVaultSandbox;

/// <summary>
/// A copy of one stored version, for assertions. Not a record on purpose: a test's failure message that prints it must
/// not print <see cref="Value"/>.
/// </summary>
public sealed class KeyVaultSecretVersion
{
    public required string Name { get; init; }

    /// <summary>32 lower-case hex digits, as Key Vault forms version ids.</summary>
    public required string Version { get; init; }

    /// <summary><c>{VaultUri}secrets/{name}/{version}</c>.</summary>
    public required Uri Id { get; init; }

    public required string Value { get; init; }

    public string? ContentType { get; init; }

    public bool Enabled { get; init; }

    public DateTimeOffset? NotBefore { get; init; }

    public DateTimeOffset? ExpiresOn { get; init; }

    public DateTimeOffset CreatedOn { get; init; }

    public DateTimeOffset UpdatedOn { get; init; }

    public required IReadOnlyDictionary<string, string> Tags { get; init; }

    public override string ToString() => $"{Name}/{Version} (enabled: {Enabled}, {Tags.Count} tags)";
}
