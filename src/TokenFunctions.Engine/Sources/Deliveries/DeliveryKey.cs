using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace TokenFunctions.Engine.Sources.Deliveries;

/// <summary>
/// Table Storage forbids <c>/ \ # ?</c> and control characters in keys and caps them at 1 KiB; keys outside a safe
/// alphabet are stored as their SHA-256 so any delivery id or signature can be a key.
/// </summary>
public static class DeliveryKey
{
    private static readonly SearchValues<char> Safe =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:=+@");

    public static string Encode(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Length is > 0 and <= 200 && !key.AsSpan().ContainsAnyExcept(Safe)
            ? key
            : "h-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }
}
