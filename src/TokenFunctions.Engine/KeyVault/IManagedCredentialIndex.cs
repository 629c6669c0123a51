using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.KeyVault;

/// <summary>
/// The credentials whose secrets this app holds in Key Vault, looked up without reading secrets into callers:
/// by token id, or by the SHA-256 fingerprint of the token (how GitGuardian, which never sends secrets, is matched).
/// A token that a rotation has just replaced (still valid during its overlap window) matches too, with
/// <see cref="ManagedCredentialRef.IsPrevious"/> set, so a leak of it is still recognised and contained.
/// </summary>
public interface IManagedCredentialIndex
{
    Task<ManagedCredentialRef?> FindByTokenIdAsync(TokenId tokenId, CancellationToken cancellationToken);

    Task<ManagedCredentialRef?> FindByFingerprintAsync(string sha256Hex, CancellationToken cancellationToken);
}

/// <summary>
/// A managed credential: the Key Vault secret that holds it and what it is. <see cref="TokenId"/> is the token that matched;
/// <see cref="Owner"/> is the configured environment or account name.
/// </summary>
public sealed record ManagedCredentialRef(string SecretName, TokenId TokenId, string Owner)
{
    /// <summary>The match is the token a rotation replaced (the secret's <c>tf-previous-token-id</c>), not its current value.</summary>
    public bool IsPrevious { get; init; }
}
