using System.Security.Cryptography;
using System.Text;

namespace TokenFunctions.Engine.Tokens;

/// <summary>
/// Lower-case hex SHA-256 of the full token text: the same value GitHub's partner feedback calls <c>token_hash</c>,
/// so it can be logged and compared without ever holding the secret.
/// </summary>
public static class TokenFingerprint
{
    public static string Of(ReadOnlySpan<char> token)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var byteCount = Encoding.UTF8.GetByteCount(token);
        var buffer = byteCount <= 512 ? stackalloc byte[byteCount] : new byte[byteCount];
        Encoding.UTF8.GetBytes(token, buffer);
        SHA256.HashData(buffer, hash);
        CryptographicOperations.ZeroMemory(buffer);
        return Convert.ToHexStringLower(hash);
    }
}
