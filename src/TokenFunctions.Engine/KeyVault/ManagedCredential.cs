using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.KeyVault;

/// <summary>
/// A Key Vault secret that holds a Dynatrace token this app rotates, as read from the tags of its newest version. Holds no
/// secret: only what the tags and the version's attributes say.
/// </summary>
public sealed record ManagedCredential
{
    public required string SecretName { get; init; }

    /// <summary>The secret's id without a version (<c>https://vault/secrets/name</c>): what consumers read.</summary>
    public required string SecretId { get; init; }

    /// <summary>The newest version, when the listing says (Key Vault's list omits it; a direct read includes it).</summary>
    public string? Version { get; init; }

    public required CredentialPolicy Policy { get; init; }

    public required TokenId TokenId { get; init; }

    public required string Fingerprint { get; init; }

    public CredentialStage Stage { get; init; }

    public string? RotationId { get; init; }

    public TokenId? PreviousTokenId { get; init; }

    public string? PreviousFingerprint { get; init; }

    public string? TokenOwner { get; init; }

    /// <summary>When the newest version was written: the age a rotation period is measured against.</summary>
    public DateTimeOffset? CreatedOn { get; init; }

    /// <summary>The version's expiry (set to the token's expiry by rotation).</summary>
    public DateTimeOffset? ExpiresOn { get; init; }

    /// <summary>The operator's own tags, carried to every new version.</summary>
    public IReadOnlyDictionary<string, string> OtherTags { get; init; } = new Dictionary<string, string>();

    public TokenKind Kind => Policy.Kind;

    public string Target => Policy.Target;

    public ManagedCredentialRef ToRef() => new(SecretName, TokenId, Target);
}
