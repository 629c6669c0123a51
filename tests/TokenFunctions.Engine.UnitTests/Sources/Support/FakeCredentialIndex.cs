using TokenFunctions.Engine.KeyVault;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Tests.Sources.Support;

public sealed class FakeCredentialIndex : IManagedCredentialIndex
{
    private readonly Dictionary<string, ManagedCredentialRef> _byFingerprint = new(StringComparer.Ordinal);

    public List<string> Lookups { get; } = [];

    public void Add(TokenSecret secret, string owner = "prod") =>
        _byFingerprint[secret.Fingerprint] = new ManagedCredentialRef("kv-" + secret.Id.PublicPart, secret.Id, owner);

    public Task<ManagedCredentialRef?> FindByTokenIdAsync(TokenId tokenId, CancellationToken cancellationToken) =>
        Task.FromResult(_byFingerprint.Values.FirstOrDefault(c => c.TokenId == tokenId));

    public Task<ManagedCredentialRef?> FindByFingerprintAsync(string sha256Hex, CancellationToken cancellationToken)
    {
        Lookups.Add(sha256Hex);
        return Task.FromResult(_byFingerprint.GetValueOrDefault(sha256Hex));
    }
}
