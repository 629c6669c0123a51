namespace TokenFunctions.KeyVaultSandbox.State;

/// <summary>One version of a secret; mutated only under <see cref="VaultState.Gate"/>.</summary>
internal sealed class StoredVersion
{
    public required string Name { get; init; }

    public required string Version { get; init; }

    /// <summary>Creation order across the vault: the newest created version of a secret is its latest.</summary>
    public required long Sequence { get; init; }

    public required string Value { get; init; }

    public string? ContentType { get; set; }

    public bool Enabled { get; set; } = true;

    public DateTimeOffset? NotBefore { get; set; }

    public DateTimeOffset? ExpiresOn { get; set; }

    public DateTimeOffset CreatedOn { get; init; }

    public DateTimeOffset UpdatedOn { get; set; }

    public Dictionary<string, string> Tags { get; set; } = new(StringComparer.Ordinal);

    public KeyVaultSecretVersion Snapshot(Uri vaultUri) => new()
    {
        Name = Name,
        Version = Version,
        Id = new Uri(vaultUri, $"secrets/{Name}/{Version}"),
        Value = Value,
        ContentType = ContentType,
        Enabled = Enabled,
        NotBefore = NotBefore,
        ExpiresOn = ExpiresOn,
        CreatedOn = CreatedOn,
        UpdatedOn = UpdatedOn,
        Tags = new Dictionary<string, string>(Tags, StringComparer.Ordinal),
    };
}
