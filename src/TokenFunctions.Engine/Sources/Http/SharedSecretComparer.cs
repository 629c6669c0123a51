using System.Security.Cryptography;
using System.Text;

namespace TokenFunctions.Engine.Sources.Http;

/// <summary>
/// Constant-time comparison of a presented pre-shared token with the configured ones. Both sides are hashed first so the
/// comparison time does not depend on the lengths either.
/// </summary>
public static class SharedSecretComparer
{
    public static bool Matches(string? presented, IReadOnlyList<string> expected)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }

        Span<byte> presentedHash = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> expectedHash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), presentedHash);
        var ok = false;
        foreach (var value in expected)
        {
            SHA256.HashData(Encoding.UTF8.GetBytes(value), expectedHash);
            ok |= CryptographicOperations.FixedTimeEquals(presentedHash, expectedHash);
        }

        return ok;
    }
}
