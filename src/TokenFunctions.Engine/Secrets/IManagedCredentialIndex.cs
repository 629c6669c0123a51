using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Secrets;

/// <summary>
/// The credentials whose secrets this app holds in Key Vault, looked up without reading secrets into callers:
/// by token id, or by the SHA-256 fingerprint of the token (how GitGuardian, which never sends secrets, is matched).
/// </summary>
public interface IManagedCredentialIndex
{
    Task<ManagedCredentialRef?> FindByTokenIdAsync(TokenId tokenId, CancellationToken cancellationToken);

    Task<ManagedCredentialRef?> FindByFingerprintAsync(string sha256Hex, CancellationToken cancellationToken);
}

/// <summary>A managed credential: the Key Vault secret that holds it and what it is.</summary>
public sealed record ManagedCredentialRef(string SecretName, TokenId TokenId, string Owner);
