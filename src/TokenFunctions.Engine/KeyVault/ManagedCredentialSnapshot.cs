using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.KeyVault;

/// <summary>One listing of the vault: the managed credentials, the ones awaiting adoption, and the misconfigured ones.</summary>
public sealed class ManagedCredentialSnapshot
{
    private readonly Dictionary<string, ManagedCredential> _byName;
    private readonly Dictionary<string, ManagedCredentialRef> _byTokenId;
    private readonly Dictionary<string, ManagedCredentialRef> _byFingerprint;

    public ManagedCredentialSnapshot(
        DateTimeOffset loadedAt,
        IReadOnlyList<ManagedCredential> credentials,
        IReadOnlyList<TagReadResult> unadopted,
        IReadOnlyList<CredentialProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        LoadedAt = loadedAt;
        Credentials = credentials;
        Unadopted = unadopted;
        Problems = problems;
        _byName = credentials.ToDictionary(c => c.SecretName, StringComparer.Ordinal);
        _byTokenId = new Dictionary<string, ManagedCredentialRef>(StringComparer.Ordinal);
        _byFingerprint = new Dictionary<string, ManagedCredentialRef>(StringComparer.Ordinal);

        // Previous tokens first, so a current token that happens to be someone's previous one wins.
        foreach (var c in credentials)
        {
            if (c.PreviousTokenId is { } previous)
            {
                var match = new ManagedCredentialRef(c.SecretName, previous, c.Target) { IsPrevious = true };
                _byTokenId[previous.Value] = match;
                if (c.PreviousFingerprint is { } fp)
                {
                    _byFingerprint[fp] = match;
                }
            }
        }

        foreach (var c in credentials)
        {
            _byTokenId[c.TokenId.Value] = c.ToRef();
            _byFingerprint[c.Fingerprint] = c.ToRef();
        }
    }

    public DateTimeOffset LoadedAt { get; }

    public IReadOnlyList<ManagedCredential> Credentials { get; }

    public IReadOnlyList<TagReadResult> Unadopted { get; }

    public IReadOnlyList<CredentialProblem> Problems { get; }

    public ManagedCredential? Get(string secretName) => _byName.GetValueOrDefault(secretName);

    public ManagedCredentialRef? FindByTokenId(TokenId id) => _byTokenId.GetValueOrDefault(id.Value);

    public ManagedCredentialRef? FindByFingerprint(string sha256Hex) =>
        sha256Hex is null ? null : _byFingerprint.GetValueOrDefault(sha256Hex.ToLowerInvariant());
}
