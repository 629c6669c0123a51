using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Incidents.Messages;

/// <summary>
/// The incident contract's field rules (<see cref="IncidentMessageValidator"/>) turned into normalisations, so whatever a
/// source accepted can always be handed to the queue: text is redacted, stripped of control characters, trimmed, dropped
/// when blank and cut with <see cref="CutMarker"/> when too long; identifiers are single-line and secret-free or dropped;
/// ids that do not fit become a stable key (same input, same key), so redeliveries still act once.
/// </summary>
public static class IncidentFields
{
    /// <summary>Appended where text was cut to fit the contract.</summary>
    public const string CutMarker = "…[cut]";

    private const int KeyHashChars = 32;
    private const int KeyPrefixChars = 40;

    private static readonly SearchValues<char> KeyAlphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:@+=");

    /// <summary>
    /// Free text (reason, location): redacted, every control character (line breaks included) replaced by a space, trimmed,
    /// null when nothing is left, cut to <paramref name="maxLength"/> with <see cref="CutMarker"/>.
    /// </summary>
    public static string? Text(string? value, int maxLength)
    {
        if (value is null)
        {
            return null;
        }

        var redacted = Redaction.Redact(value)!;
        var clean = ContainsControl(redacted) ? ReplaceControls(redacted) : redacted;
        clean = clean.Trim();
        return clean.Length == 0 ? null : Cut(clean, maxLength);
    }

    /// <summary>
    /// A name used as a hint or label (environment, requested-by): <see cref="Text"/>, but dropped (null) when it is longer
    /// than <paramref name="maxLength"/> or carries a token secret, because a cut or masked name names nothing.
    /// </summary>
    public static string? Name(string? value, int maxLength)
    {
        if (value is null)
        {
            return null;
        }

        if (Redaction.ContainsSecret(value))
        {
            return null;
        }

        var clean = Text(value, int.MaxValue);
        return clean is null || clean.Length > maxLength ? null : clean;
    }

    /// <summary>
    /// An id the queue uses as a key (a correlation id inside <c>incidentId</c>): kept as it is when it already fits the
    /// contract, otherwise a readable prefix of its safe characters plus a hash of the whole value, at most
    /// <paramref name="maxLength"/> characters. Blank ids become the hash of the empty string's marker.
    /// </summary>
    public static string Key(string? value, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, KeyHashChars + 2);
        var raw = value ?? string.Empty;
        if (IsCleanKey(raw, maxLength))
        {
            return raw;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(raw)))[..KeyHashChars];
        var prefix = new StringBuilder(KeyPrefixChars);
        foreach (var c in Redaction.Redact(raw)!)
        {
            if (prefix.Length == Math.Min(KeyPrefixChars, maxLength - KeyHashChars - 1))
            {
                break;
            }

            if (KeyAlphabet.Contains(c))
            {
                prefix.Append(c);
            }
        }

        var key = prefix.Length == 0 ? "h-" + hash : prefix.Append('~').Append(hash).ToString();
        return IsCleanKey(key, maxLength) ? key : "h-" + hash;
    }

    /// <summary>What the validator accepts as an identifier: not blank, single line, no control character, no token secret.</summary>
    public static bool IsCleanKey(string value, int maxLength) =>
        value.Length > 0 && value.Length <= maxLength && !string.IsNullOrWhiteSpace(value)
        && !ContainsControl(value) && value.Trim().Length == value.Length && !Redaction.ContainsSecret(value)
        && TokenScanner.FindAll(value).Count == 0;

    private static bool ContainsControl(string value)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }

    private static string ReplaceControls(string value) =>
        string.Create(value.Length, value, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? ' ' : source[i];
            }
        });

    private static string Cut(string value, int maxLength)
    {
        if (value.Length <= maxLength)
        {
            return value;
        }

        var keep = Math.Max(0, maxLength - CutMarker.Length);

        // Never split a surrogate pair: half a character is not text.
        if (keep > 0 && char.IsHighSurrogate(value[keep - 1]))
        {
            keep--;
        }

        return value[..keep].TrimEnd() + CutMarker;
    }
}
