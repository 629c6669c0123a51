using System.Buffers.Text;
using System.Text;

namespace TokenFunctions.Engine.Audit;

/// <summary>
/// Where a page ended: the partition and row key of its last record. Encoded as base64url so it travels in a query
/// string. It carries keys only, which are token ids, hours and correlation ids: nothing a caller could not ask for.
/// </summary>
internal readonly record struct AuditContinuation(string PartitionKey, string RowKey)
{
    private const string Version = "a1";

    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Join('\n', Version, PartitionKey, RowKey)));

    public static bool TryParse(string? value, out AuditContinuation continuation)
    {
        continuation = default;
        if (string.IsNullOrEmpty(value) || value.Length > 2048 || !Base64Url.IsValid(value))
        {
            return false;
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(Base64Url.DecodeFromChars(value));
        }
        catch (FormatException)
        {
            return false;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        var parts = text.Split('\n');
        if (parts.Length != 3 || parts[0] != Version || parts[1].Length == 0 || !AuditKeys.TryParseRowKey(parts[2], out _))
        {
            return false;
        }

        continuation = new AuditContinuation(parts[1], parts[2]);
        return true;
    }
}
