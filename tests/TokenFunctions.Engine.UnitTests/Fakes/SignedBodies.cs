using System.Security.Cryptography;
using System.Text;
using TokenFunctions.Engine.Sources.Http;

namespace TokenFunctions.Engine.UnitTests.Fakes;

/// <summary>Signs webhook bodies the way senders do, for tests and benchmarks (production only verifies).</summary>
public static class SignedBodies
{
    /// <summary><c>sha256=&lt;lower hex&gt;</c> HMAC of <paramref name="prefix"/> followed by <paramref name="body"/>.</summary>
    public static string Sign(string key, ReadOnlySpan<byte> body, string prefix = "")
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HmacSignature.Compute(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(prefix), body, mac);
        return HmacSignature.Prefix + Convert.ToHexStringLower(mac);
    }
}
