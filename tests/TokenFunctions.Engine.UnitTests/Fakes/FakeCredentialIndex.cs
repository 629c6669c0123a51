using TokenFunctions.Engine.KeyVault;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.UnitTests.Fakes;

/// <summary>
/// The one <see cref="IManagedCredentialIndex"/> fake: knows the secrets a test <see cref="Add"/>s and records fingerprint
/// lookups (<see cref="Lookups"/>). <see cref="Failure"/> makes every lookup throw (e.g. Key Vault unavailable) until cleared.
/// </summary>
public sealed class FakeCredentialIndex : IManagedCredentialIndex
{
    private readonly Dictionary<string, ManagedCredentialRef> _byFingerprint = new(StringComparer.Ordinal);

    public List<string> Lookups { get; } = [];

    /// <summary>When set, every lookup throws this (e.g. a <see cref="ManagedCredentialIndexUnavailableException"/>).</summary>
    public Exception? Failure { get; set; }

    public void Add(TokenSecret secret, string owner = "prod") =>
        _byFingerprint[secret.Fingerprint] = new ManagedCredentialRef("kv-" + secret.Id.PublicPart, secret.Id, owner);

    public Task<ManagedCredentialRef?> FindByTokenIdAsync(TokenId tokenId, CancellationToken cancellationToken)
    {
        if (Failure is { } failure)
        {
            throw failure;
        }

        return Task.FromResult(_byFingerprint.Values.FirstOrDefault(c => c.TokenId == tokenId));
    }

    public Task<ManagedCredentialRef?> FindByFingerprintAsync(string sha256Hex, CancellationToken cancellationToken)
    {
        if (Failure is { } failure)
        {
            throw failure;
        }

        Lookups.Add(sha256Hex);
        return Task.FromResult(_byFingerprint.GetValueOrDefault(sha256Hex));
    }
}
