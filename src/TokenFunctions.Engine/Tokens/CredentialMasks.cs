using System.Buffers;
using System.Text;

namespace TokenFunctions.Engine.Tokens;

/// <summary>
/// The credentials that are not Dynatrace tokens, masked by <see cref="Redaction"/>: every value registered with
/// <see cref="KnownSecrets"/>, and the shapes a credential this app holds or meets can take even before it is
/// registered — GitHub tokens (<c>ghp_</c>, <c>ghs_</c>, <c>github_pat_</c>, …), <c>Bearer</c> header values (when
/// they look like a credential, not a word), JWTs (SSO bearers, the GitHub App's own), storage account keys and shared access signatures in connection
/// strings and URLs, OAuth <c>client_secret</c> form fields, Slack and Teams webhook URLs, and PEM private keys. Each is
/// replaced by <see cref="Redaction.Mask"/>, keeping the marker that says what it was.
/// </summary>
internal static class CredentialMasks
{
    private static readonly string[] Markers =
    [
        "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "Bearer ", "AccountKey=", "SharedAccessKey=",
        "SharedAccessSignature=", "sig=", "client_secret=", "hooks.slack.com/", "webhook.office.com/", "eyJ", "-----BEGIN ",
    ];

    private static readonly SearchValues<string> MarkerSearch = SearchValues.Create(Markers, StringComparison.OrdinalIgnoreCase);

    public static bool Contains(ReadOnlySpan<char> text) => Next(text, 0, KnownSecrets.Current, out _, out _, out _);

    public static string Redact(string text)
    {
        var known = KnownSecrets.Current;
        if (!Next(text, 0, known, out var start, out var keep, out var end))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        var copied = 0;
        do
        {
            sb.Append(text, copied, start + keep - copied).Append(Redaction.Mask);
            copied = end;
        }
        while (Next(text, end, known, out start, out keep, out end));

        return sb.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>The next credential at or after <paramref name="from"/>: it starts at <paramref name="start"/>, its first <paramref name="keep"/> characters (the marker) stay.</summary>
    private static bool Next(ReadOnlySpan<char> text, int from, KnownSecrets.Snapshot known, out int start, out int keep, out int end)
    {
        start = keep = end = 0;
        while (from < text.Length)
        {
            var rest = text[from..];
            var marker = rest.IndexOfAny(MarkerSearch);
            var value = known.Values.Length == 0 ? -1 : rest.IndexOfAny(known.Search);
            if (marker < 0 && value < 0)
            {
                return false;
            }

            if (value >= 0 && (marker < 0 || value <= marker))
            {
                start = from + value;
                end = start + known.MatchAt(text, start);
                return true;
            }

            start = from + marker;
            if (TryShape(text, start, out keep, out end))
            {
                return true;
            }

            from = start + 1;
        }

        return false;
    }

    private static bool TryShape(ReadOnlySpan<char> text, int at, out int keep, out int end)
    {
        var rest = text[at..];
        keep = end = 0;
        foreach (var prefix in (ReadOnlySpan<string>)["ghp_", "gho_", "ghu_", "ghs_", "ghr_"])
        {
            if (rest.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return Run(text, at, prefix.Length, IsWord, 16, out keep, out end);
            }
        }

        if (rest.StartsWith("github_pat_", StringComparison.OrdinalIgnoreCase))
        {
            return Run(text, at, "github_pat_".Length, IsWord, 20, out keep, out end);
        }

        if (rest.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            // "Bearer tokens expire" is prose; a credential has a digit or a token punctuation mark in it.
            return Run(text, at, "Bearer ".Length, IsHeaderValue, 8, out keep, out end)
                && text[(at + keep)..end].IndexOfAny("0123456789.-_~+/=") >= 0;
        }

        if (rest.StartsWith("hooks.slack.com/", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("webhook.office.com/", StringComparison.OrdinalIgnoreCase))
        {
            return Run(text, at, rest.IndexOf('/') + 1, IsUrlChar, 8, out keep, out end);
        }

        if (rest.StartsWith("eyJ", StringComparison.Ordinal))
        {
            return Jwt(text, at, out keep, out end);
        }

        if (rest.StartsWith("-----BEGIN ", StringComparison.OrdinalIgnoreCase))
        {
            var header = rest[11..].IndexOf("-----", StringComparison.Ordinal);
            if (header < 0 || !rest[11..(11 + header)].EndsWith("PRIVATE KEY", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            keep = 11 + header + 5;
            var footer = rest[keep..].IndexOf("-----END", StringComparison.Ordinal);
            end = footer < 0 ? text.Length : at + keep + footer;
            return true;
        }

        var equals = rest.IndexOf('=');
        return equals > 0 && Run(text, at, equals + 1, IsParameterValue, 4, out keep, out end);
    }

    /// <summary>A run of <paramref name="accept"/> characters after <paramref name="prefix"/>, at least <paramref name="min"/> long.</summary>
    private static bool Run(ReadOnlySpan<char> text, int at, int prefix, Func<char, bool> accept, int min, out int keep, out int end)
    {
        keep = prefix;
        var i = at + prefix;
        while (i < text.Length && accept(text[i]))
        {
            i++;
        }

        end = i;
        return i - (at + prefix) >= min;
    }

    /// <summary><c>eyJ…</c> header, a dot, payload, a dot, signature (possibly empty): the whole token is masked.</summary>
    private static bool Jwt(ReadOnlySpan<char> text, int at, out int keep, out int end)
    {
        keep = 0;
        end = at;
        for (var part = 0; part < 3; part++)
        {
            var start = end;
            while (end < text.Length && IsBase64Url(text[end]))
            {
                end++;
            }

            if (part < 2 && (end - start < 8 || end >= text.Length || text[end] != '.'))
            {
                return false;
            }

            if (part < 2)
            {
                end++;
            }
        }

        return true;
    }

    private static bool IsWord(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static bool IsBase64Url(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';

    private static bool IsHeaderValue(char c) => !char.IsWhiteSpace(c) && c is not ('"' or '\'' or ',' or ';' or ')' or ']' or '}' or '<' or '>');

    private static bool IsParameterValue(char c) => !char.IsWhiteSpace(c) && c is not (';' or '&' or '"' or '\'' or ',' or ')' or ']' or '}' or '<' or '>');

    private static bool IsUrlChar(char c) => !char.IsWhiteSpace(c) && c is not ('"' or '\'' or ',' or ')' or ']' or '}' or '<' or '>');
}
