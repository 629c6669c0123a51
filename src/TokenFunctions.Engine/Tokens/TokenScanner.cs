using System.Numerics;

namespace TokenFunctions.Engine.Tokens;

/// <summary>
/// Finds Dynatrace tokens in arbitrary text: <c>dt0[a-zA-Z][0-9]{2}.PUBLIC(8–24).SECRET(64)</c> with uppercase
/// alphanumerics, not glued to more ASCII letters or digits on either side. Works on UTF-16 text and on UTF-8 bytes.
/// </summary>
/// <remarks>
/// The search is a vectorised <c>IndexOf("dt0")</c> over the span; the grammar is only checked at those candidates, so
/// text without tokens is scanned at memory speed and nothing is allocated until a token is found
/// (<see cref="EnumerateMatches(ReadOnlySpan{char})"/> and <see cref="ContainsToken(ReadOnlySpan{char})"/> allocate nothing at all).
/// </remarks>
public static class TokenScanner
{
    private const string Marker = "dt0";

    public static List<TokenMatch> FindAll(ReadOnlySpan<char> text)
    {
        var matches = new List<TokenMatch>();
        foreach (var m in EnumerateMatches(text))
        {
            matches.Add(m);
        }

        return matches;
    }

    /// <summary>Matches in UTF-8 text; offsets and lengths are in bytes (a token is ASCII, so bytes equal characters within it).</summary>
    public static List<TokenMatch> FindAll(ReadOnlySpan<byte> utf8)
    {
        var matches = new List<TokenMatch>();
        foreach (var m in EnumerateMatches(utf8))
        {
            matches.Add(m);
        }

        return matches;
    }

    public static TokenMatchEnumerator EnumerateMatches(ReadOnlySpan<char> text) => new(text);

    public static Utf8TokenMatchEnumerator EnumerateMatches(ReadOnlySpan<byte> utf8) => new(utf8);

    public static bool ContainsToken(ReadOnlySpan<char> text)
    {
        var offset = 0;
        return TryFindNext(text, Marker, ref offset, out _);
    }

    public static bool ContainsToken(ReadOnlySpan<byte> utf8)
    {
        var offset = 0;
        return TryFindNext(utf8, "dt0"u8, ref offset, out _);
    }

    public static int Count(ReadOnlySpan<char> text)
    {
        var count = 0;
        foreach (var _ in EnumerateMatches(text))
        {
            count++;
        }

        return count;
    }

    public static int Count(ReadOnlySpan<byte> utf8)
    {
        var count = 0;
        foreach (var _ in EnumerateMatches(utf8))
        {
            count++;
        }

        return count;
    }

    /// <summary>Every token in the text as a <see cref="TokenSecret"/> (id, kind, fingerprint), in order of appearance.</summary>
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

    /// <summary>Every token in UTF-8 text as a <see cref="TokenSecret"/>, in order of appearance.</summary>
    public static List<TokenSecret> FindSecrets(ReadOnlySpan<byte> utf8)
    {
        var secrets = new List<TokenSecret>();
        foreach (var m in EnumerateMatches(utf8))
        {
            // A token is pure ASCII, so Latin-1 decoding of its bytes is exact.
            var text = System.Text.Encoding.Latin1.GetString(utf8.Slice(m.Start, m.Length));
            if (TokenSecret.TryParse(text, out var secret))
            {
                secrets.Add(secret);
            }
        }

        return secrets;
    }

    internal static bool TryMatchAt(ReadOnlySpan<char> text, int start, out TokenMatch match) => TryMatchAt<char>(text, start, out match);

    /// <summary>Finds the next token at or after <paramref name="offset"/> and moves <paramref name="offset"/> past it.</summary>
    internal static bool TryFindNext<T>(ReadOnlySpan<T> text, ReadOnlySpan<T> marker, ref int offset, out TokenMatch match)
        where T : unmanaged, IBinaryInteger<T>
    {
        while (text.Length - offset >= TokenPrefixes.MinTokenLength)
        {
            var hit = text[offset..].IndexOf(marker);
            if (hit < 0)
            {
                break;
            }

            var start = offset + hit;
            if (TryMatchAt(text, start, out match))
            {
                offset = start + match.Length;
                return true;
            }

            // "dt0" has three distinct characters, so the next occurrence cannot start inside this one.
            offset = start + marker.Length;
        }

        offset = text.Length;
        match = default;
        return false;
    }

    private static bool TryMatchAt<T>(ReadOnlySpan<T> text, int start, out TokenMatch match)
        where T : unmanaged, IBinaryInteger<T>
    {
        match = default;
        if (start > 0 && TokenPrefixes.IsAlnum(At(text, start - 1)))
        {
            return false;
        }

        var rest = text[start..];
        if (rest.Length < TokenPrefixes.MinTokenLength
            || At(rest, 0) != 'd' || At(rest, 1) != 't' || At(rest, 2) != '0'
            || !IsAsciiLetter(At(rest, 3)) || !IsAsciiDigit(At(rest, 4)) || !IsAsciiDigit(At(rest, 5))
            || At(rest, TokenPrefixes.PrefixLength) != '.')
        {
            return false;
        }

        // The public part: the longest run of token characters, which must be 8 to MaxPublicLength long and end in a dot.
        var publicStart = TokenPrefixes.PrefixLength + 1;
        var limit = Math.Min(rest.Length, publicStart + TokenPrefixes.MaxPublicLength + 1);
        var publicEnd = publicStart;
        while (publicEnd < limit && TokenPrefixes.IsUpperAlnum(At(rest, publicEnd)))
        {
            publicEnd++;
        }

        var publicLength = publicEnd - publicStart;
        if (publicLength < TokenPrefixes.MinPublicLength || publicLength > TokenPrefixes.MaxPublicLength
            || publicEnd >= rest.Length || At(rest, publicEnd) != '.')
        {
            return false;
        }

        var secretStart = publicEnd + 1;
        var secretEnd = secretStart + TokenPrefixes.SecretLength;
        if (secretEnd > rest.Length)
        {
            return false;
        }

        for (var i = secretStart; i < secretEnd; i++)
        {
            if (!TokenPrefixes.IsUpperAlnum(At(rest, i)))
            {
                return false;
            }
        }

        if (secretEnd < rest.Length && TokenPrefixes.IsAlnum(At(rest, secretEnd)))
        {
            return false;
        }

        match = new TokenMatch(start, secretEnd, publicEnd);
        return true;
    }

    private static uint At<T>(ReadOnlySpan<T> text, int index)
        where T : unmanaged, IBinaryInteger<T> => uint.CreateTruncating(text[index]);

    private static bool IsAsciiLetter(uint c) => (c | 0x20) - 'a' <= 'z' - 'a';

    private static bool IsAsciiDigit(uint c) => c - '0' <= 9;
}
