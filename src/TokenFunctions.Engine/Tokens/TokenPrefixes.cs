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

    private static readonly SearchValues<char> Alphabet = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

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
}
