using System.Security.Cryptography;
using TokenFunctions.Engine.Sources.GitHubPartner;

namespace TokenFunctions.Engine.Tests.Sources.Support;

/// <summary>GitHub's documented sample key plus a test key pair this class can sign with.</summary>
public sealed class FakePartnerKeys : IPartnerPublicKeyProvider, IDisposable
{
    /// <summary>The key id, signature and payload from GitHub's partner-program documentation.</summary>
    public const string DocsKeyId = "bcb53661c06b4728e59d897fb6165d5c9cda0fd9cdf9d09ead458168deb7518c";

    public const string DocsSignature = "MEQCIQDaMKqrGnE27S0kgMrEK0eYBmyG0LeZismAEz/BgZyt7AIfXt9fErtRS4XaeSt/AO1RtBY66YcAdjxji410VQV4xg==";

    public const string DocsPayload = "[{\"source\":\"commit\",\"token\":\"some_token\",\"type\":\"some_type\",\"url\":\"https://example.com/base-repo-url/\"}]";

    /// <summary>
    /// GitHub's public key for <see cref="DocsKeyId"/>, as published by <c>/meta/public_keys/secret_scanning</c> and quoted
    /// in public test suites (getsentry/sentry <c>tests/sentry/utils/test_github.py</c>, octokit.net's PublicKeysClient tests).
    /// </summary>
    public const string DocsPublicKeyPem = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEYAGMWO8XgCamYKMJS6jc/qgvSlAd\nAjPuDPRcXU22YxgBrz+zoN19MzuRyW87qEt9/AmtoNP5GrobzUvQSyJFVw==\n-----END PUBLIC KEY-----\n";

    public const string TestKeyId = "test-key-1";

    /// <summary>The same key pair as <see cref="TestKeyId"/>, listed with <c>is_current: false</c>.</summary>
    public const string RetiredKeyId = "test-key-0";

    public ECDsa TestKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public PartnerKeyStatus? ForcedStatus { get; set; }

    public string TestPublicKeyPem => TestKey.ExportSubjectPublicKeyInfoPem();

    public string Sign(ReadOnlySpan<byte> body) =>
        Convert.ToBase64String(TestKey.SignData(body, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

    public ValueTask<PartnerKeyLookup> GetAsync(string keyId, CancellationToken cancellationToken)
    {
        if (ForcedStatus is { } forced)
        {
            return ValueTask.FromResult(new PartnerKeyLookup(forced, null));
        }

        var key = keyId switch
        {
            DocsKeyId => PartnerPublicKey.FromPem(DocsKeyId, DocsPublicKeyPem, true),
            TestKeyId => PartnerPublicKey.FromPem(TestKeyId, TestPublicKeyPem, true),
            RetiredKeyId => PartnerPublicKey.FromPem(RetiredKeyId, TestPublicKeyPem, false),
            _ => null,
        };
        return ValueTask.FromResult(key is null ? new PartnerKeyLookup(PartnerKeyStatus.Unknown, null) : new PartnerKeyLookup(PartnerKeyStatus.Found, key));
    }

    public void Dispose() => TestKey.Dispose();
}
