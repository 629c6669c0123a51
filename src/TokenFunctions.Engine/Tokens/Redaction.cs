using System.Text;

namespace TokenFunctions.Engine.Tokens;

/// <summary>
/// The one redaction path: every log line, exception message, audit text, HTTP answer and CLI line goes through
/// <see cref="Redact"/>, which replaces the secret part of any Dynatrace token with <c>***</c> and keeps the loggable id,
/// and masks every other credential the app holds (<see cref="KnownSecrets"/>, and the shapes in
/// <see cref="CredentialMasks"/>: GitHub tokens, bearer and basic header values, JWTs, storage keys and signatures,
/// OAuth client secrets, chat webhook URLs, private keys).
/// </summary>
/// <remarks>
/// Redaction is deliberately wider than recognition (<see cref="TokenScanner"/>): recognising a token decides whether to
/// act on it, so it follows Dynatrace's grammar exactly; redacting decides whether text may leave the process, so it masks
/// anything that could carry a secret. It ignores case (a lower- or upper-cased token is trivially restored, because
/// the real alphabet is upper case), ignores what the token is glued to, accepts public parts of any length up to 64 and
/// masks secrets of any length (a truncated secret is still most of a secret). It keeps <c>dt0xnn.PUBLIC</c> visible.
/// </remarks>
public static class Redaction
{
    public const string Mask = "***";

    private const int MaxLenientPublicLength = 64;

    public static string? Redact(string? text) =>
        string.IsNullOrEmpty(text) ? text : CredentialMasks.Redact(RedactTokens(text));

    /// <summary>True when <see cref="Redact"/> would change the text.</summary>
    public static bool ContainsSecret(ReadOnlySpan<char> text) => ContainsToken(text) || CredentialMasks.Contains(text);

    private static string RedactTokens(string text)
    {
        var span = text.AsSpan();
        var search = IndexOfMarker(span, 0);
        if (search < 0)
        {
            return text;
        }

        StringBuilder? sb = null;
        var copied = 0;
        while (search >= 0)
        {
            if (TryMatchLenient(span, search, out var idEnd, out var secretEnd))
            {
                sb ??= new StringBuilder(text.Length);
                sb.Append(text, copied, idEnd - copied).Append('.').Append(Mask);
                copied = secretEnd;
                search = IndexOfMarker(span, secretEnd);
            }
            else
            {
                search = IndexOfMarker(span, search + 1);
            }
        }

        return sb is null ? text : sb.Append(text, copied, text.Length - copied).ToString();
    }

    private static bool ContainsToken(ReadOnlySpan<char> text)
    {
        var search = IndexOfMarker(text, 0);
        while (search >= 0)
        {
            if (TryMatchLenient(text, search, out _, out _))
            {
                return true;
            }

            search = IndexOfMarker(text, search + 1);
        }

        return false;
    }

    /// <summary>
    /// An exception safe to log, throw across a process boundary or store: the same one when its text carries no
    /// secret, otherwise a <see cref="RedactedException"/> with redacted message, stack and inner exceptions.
    /// </summary>
    public static Exception RedactException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception is RedactedException || !ContainsSecret(exception.ToString()) ? exception : new RedactedException(exception);
    }

    private static int IndexOfMarker(ReadOnlySpan<char> text, int from)
    {
        if (from >= text.Length)
        {
            return -1;
        }

        var hit = text[from..].IndexOf("dt0", StringComparison.OrdinalIgnoreCase);
        return hit < 0 ? -1 : from + hit;
    }

    /// <summary><c>dt0[a-z][0-9]{2}.[a-z0-9]{1,64}.[a-z0-9]+</c>, case-insensitive, any surroundings.</summary>
    private static bool TryMatchLenient(ReadOnlySpan<char> text, int start, out int idEnd, out int secretEnd)
    {
        idEnd = secretEnd = 0;
        var rest = text[start..];
        if (!IsLenientPrefix(rest))
        {
            return false;
        }

        // Wherever another prefix starts inside this candidate, that one is the real token: give way to it.
        var publicEnd = TokenPrefixes.PrefixLength + 1;
        while (publicEnd < rest.Length && TokenPrefixes.IsAlnum(rest[publicEnd]))
        {
            if (IsLenientPrefix(rest[publicEnd..]))
            {
                return false;
            }

            publicEnd++;
        }

        var publicLength = publicEnd - (TokenPrefixes.PrefixLength + 1);
        if (publicLength is 0 or > MaxLenientPublicLength || publicEnd + 1 >= rest.Length || rest[publicEnd] != '.')
        {
            return false;
        }

        var end = publicEnd + 1;
        while (end < rest.Length && TokenPrefixes.IsAlnum(rest[end]))
        {
            // A second token glued to this secret starts a match of its own, so its id stays visible and its secret masked.
            if (IsLenientPrefix(rest[end..]))
            {
                break;
            }

            end++;
        }

        if (end == publicEnd + 1)
        {
            return false;
        }

        idEnd = start + publicEnd;
        secretEnd = start + end;
        return true;
    }

    private static bool IsLenientPrefix(ReadOnlySpan<char> s) =>
        s.Length > TokenPrefixes.PrefixLength
        && (s[0] | 0x20) == 'd' && (s[1] | 0x20) == 't' && s[2] == '0'
        && char.IsAsciiLetter(s[3]) && char.IsAsciiDigit(s[4]) && char.IsAsciiDigit(s[5]) && s[6] == '.';
}
