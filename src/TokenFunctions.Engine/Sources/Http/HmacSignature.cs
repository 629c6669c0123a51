using System.Security.Cryptography;

namespace TokenFunctions.Engine.Sources.Http;

/// <summary>
/// <c>sha256=&lt;hex&gt;</c> HMAC-SHA256 signatures (GitHub, GitGuardian, the generic webhook), computed over the raw bytes
/// and compared with <see cref="CryptographicOperations.FixedTimeEquals"/>.
/// </summary>
public static class HmacSignature
{
    public const string Prefix = "sha256=";

    /// <summary>Parses <c>sha256=</c> + 64 hex digits (either case) into <paramref name="mac"/>.</summary>
    public static bool TryParse(string? header, Span<byte> mac)
    {
        if (header is null || mac.Length != HMACSHA256.HashSizeInBytes)
        {
            return false;
        }

        var value = header.AsSpan().Trim();
        if (value.Length != Prefix.Length + (2 * HMACSHA256.HashSizeInBytes)
            || !value.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return Convert.FromHexString(value[Prefix.Length..], mac, out _, out var written) == System.Buffers.OperationStatus.Done
            && written == HMACSHA256.HashSizeInBytes;
    }

    /// <summary>HMAC of <paramref name="prefix"/> followed by <paramref name="body"/> (prefix may be empty).</summary>
    public static void Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> body, Span<byte> mac)
    {
        if (prefix.IsEmpty)
        {
            HMACSHA256.HashData(key, body, mac);
            return;
        }

        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(prefix);
        hmac.AppendData(body);
        hmac.GetHashAndReset(mac);
    }

    /// <summary>True when any of <paramref name="keys"/> produces <paramref name="expected"/>; every key is tried (no early exit).</summary>
    public static bool Verify(IReadOnlyList<byte[]> keys, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> body, ReadOnlySpan<byte> expected)
    {
        Span<byte> actual = stackalloc byte[HMACSHA256.HashSizeInBytes];
        var ok = false;
        foreach (var key in keys)
        {
            Compute(key, prefix, body, actual);
            ok |= CryptographicOperations.FixedTimeEquals(actual, expected);
        }

        return ok;
    }

    /// <summary>Checks a <c>sha256=&lt;hex&gt;</c> header and returns the metric reason, or null when it verifies.</summary>
    public static string? Check(string? header, IReadOnlyList<byte[]> keys, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(header))
        {
            return "missing_signature";
        }

        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (!TryParse(header, expected))
        {
            return "malformed_signature";
        }

        return Verify(keys, prefix, body, expected) ? null : "bad_signature";
    }
}
