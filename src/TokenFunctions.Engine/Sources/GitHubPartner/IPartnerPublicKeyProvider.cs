namespace TokenFunctions.Engine.Sources.GitHubPartner;

public enum PartnerKeyStatus
{
    Found,

    /// <summary>A fresh key list does not contain the id: the signature cannot be GitHub's.</summary>
    Unknown,

    /// <summary>No usable key list (endpoint down beyond the staleness bound): answer 503, the sender retries.</summary>
    Unavailable,
}

public readonly record struct PartnerKeyLookup(PartnerKeyStatus Status, PartnerPublicKey? Key);

/// <summary>GitHub's secret-scanning verification keys by identifier.</summary>
public interface IPartnerPublicKeyProvider
{
    ValueTask<PartnerKeyLookup> GetAsync(string keyId, CancellationToken cancellationToken);
}
