using System.Buffers;

namespace TokenFunctions.Engine.Tokens;

/// <summary>The documented Dynatrace token format: <c>dt0[a-zA-Z][0-9]{2}.PUBLIC.SECRET</c>, uppercase A–Z and 0–9.</summary>
public static class TokenPrefixes
{
    public const int PrefixLength = 6;

    /// <summary>Classic tokens have 24 public characters, platform tokens and OAuth ids only 8 in Dynatrace's examples.</summary>
    public const int MinPublicLength = 8;

    public const int MaxPublicLength = 24;

    public const int SecretLength = 64;

    /// <summary>The shortest text that can be a whole token: prefix, dot, shortest public part, dot, secret.</summary>
    public const int MinTokenLength = PrefixLength + 1 + MinPublicLength + 1 + SecretLength;

    private const byte UpperAlnum = 1;
    private const byte AnyAlnum = 2;

    private static readonly SearchValues<char> Alphabet = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

    // One lookup per character instead of range tests: the scanner runs this on every candidate character.
    private static ReadOnlySpan<byte> AsciiClass =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // 0x00
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0, 0, // 0x20: 0-9
        0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0, // 0x40: A-Z
        0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0, // 0x60: a-z
    ];

    public static bool IsTokenAlphabet(ReadOnlySpan<char> value) => !value.IsEmpty && !value.ContainsAnyExcept(Alphabet);

    /// <summary><c>dt0</c> + a letter + two digits; the letter may be either case (the official regex allows both).</summary>
    public static bool IsPrefix(ReadOnlySpan<char> value) =>
        value.Length == PrefixLength
        && value[0] == 'd' && value[1] == 't' && value[2] == '0'
        && char.IsAsciiLetter(value[3]) && char.IsAsciiDigit(value[4]) && char.IsAsciiDigit(value[5]);

    public static TokenKind KindOf(string prefix) => prefix.ToLowerInvariant() switch
    {
        "dt0c01" => TokenKind.ClassicApiToken,
        "dt0s16" => TokenKind.PlatformToken,
        "dt0s02" or "dt0s03" or "dt0s08" => TokenKind.OAuthClientSecret,
        _ => TokenKind.Unsupported,
    };

    /// <summary>A character of the token alphabet: uppercase A–Z or 0–9.</summary>
    internal static bool IsUpperAlnum(uint c) => c < 128 && (AsciiClass[(int)c] & UpperAlnum) != 0;

    /// <summary>Any ASCII letter or digit: what a token must not be glued to.</summary>
    internal static bool IsAlnum(uint c) => c < 128 && (AsciiClass[(int)c] & AnyAlnum) != 0;
}
