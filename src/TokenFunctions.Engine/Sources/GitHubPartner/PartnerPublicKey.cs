using System.Security.Cryptography;

namespace TokenFunctions.Engine.Sources.GitHubPartner;

/// <summary>One P-256 verification key. Verification is serialised per key: <see cref="ECDsa"/> instances are not documented thread-safe.</summary>
public sealed class PartnerPublicKey
{
    private readonly ECDsa _key;
    private readonly Lock _gate = new();

    private PartnerPublicKey(string id, ECDsa key, bool isCurrent)
    {
        Id = id;
        _key = key;
        IsCurrent = isCurrent;
    }

    public string Id { get; }

    public bool IsCurrent { get; }

    /// <summary>A PEM <c>PUBLIC KEY</c> on curve P-256, or null.</summary>
    public static PartnerPublicKey? FromPem(string id, string pem, bool isCurrent)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            if (key.KeySize != 256)
            {
                key.Dispose();
                return null;
            }

            return new PartnerPublicKey(id, key, isCurrent);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            key.Dispose();
            return null;
        }
    }

    /// <summary>ECDSA-NIST-P256V1-SHA256 over the raw body; <paramref name="derSignature"/> is ASN.1 DER (RFC 3279).</summary>
    public bool Verify(ReadOnlySpan<byte> body, ReadOnlySpan<byte> derSignature)
    {
        lock (_gate)
        {
            try
            {
                return _key.VerifyData(body, derSignature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
            }
            catch (CryptographicException)
            {
                return false;
            }
        }
    }
}
