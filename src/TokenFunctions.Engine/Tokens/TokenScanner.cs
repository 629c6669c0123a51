namespace TokenFunctions.Engine.Tokens;

/// <summary>
/// Finds Dynatrace tokens in arbitrary text: <c>dt0[a-zA-Z][0-9]{2}.PUBLIC(8–24).SECRET(64)</c> with uppercase
/// alphanumerics, not glued to more token characters on either side.
/// </summary>
public static class TokenScanner
{
    public static List<TokenMatch> FindAll(ReadOnlySpan<char> text)
    {
        var matches = new List<TokenMatch>();
        var offset = 0;
        while (offset < text.Length)
        {
            var hit = text[offset..].IndexOf("dt0", StringComparison.Ordinal);
            if (hit < 0)
            {
                break;
            }

            var start = offset + hit;
            if (TryMatchAt(text, start, out var match))
            {
                matches.Add(match);
                offset = start + match.Length;
            }
            else
            {
                offset = start + 3;
            }
        }

        return matches;
    }

    public static IEnumerable<TokenSecret> FindSecrets(string text)
    {
        foreach (var m in FindAll(text))
        {
            if (TokenSecret.TryParse(text.Substring(m.Start, m.Length), out var secret))
            {
                yield return secret;
            }
        }
    }

    internal static bool TryMatchAt(ReadOnlySpan<char> text, int start, out TokenMatch match)
    {
        match = default;
        if (start > 0 && IsTokenChar(text[start - 1]))
        {
            return false;
        }

        var rest = text[start..];
        if (rest.Length < TokenPrefixes.PrefixLength + 1 + TokenPrefixes.MinPublicLength + 1 + TokenPrefixes.SecretLength
            || !TokenPrefixes.IsPrefix(rest[..TokenPrefixes.PrefixLength]) || rest[TokenPrefixes.PrefixLength] != '.')
        {
            return false;
        }

        var pub = rest[(TokenPrefixes.PrefixLength + 1)..];
        var publicLength = 0;
        while (publicLength < pub.Length && publicLength <= TokenPrefixes.MaxPublicLength && IsUpperAlnum(pub[publicLength]))
        {
            publicLength++;
        }

        if (publicLength < TokenPrefixes.MinPublicLength || publicLength > TokenPrefixes.MaxPublicLength
            || publicLength >= pub.Length || pub[publicLength] != '.')
        {
            return false;
        }

        var secret = pub[(publicLength + 1)..];
        if (secret.Length < TokenPrefixes.SecretLength || !TokenPrefixes.IsTokenAlphabet(secret[..TokenPrefixes.SecretLength])
            || (secret.Length > TokenPrefixes.SecretLength && IsTokenChar(secret[TokenPrefixes.SecretLength])))
        {
            return false;
        }

        var idLength = TokenPrefixes.PrefixLength + 1 + publicLength;
        match = new TokenMatch(start, idLength + 1 + TokenPrefixes.SecretLength, idLength);
        return true;
    }

    private static bool IsUpperAlnum(char c) => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c);

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c);
}
