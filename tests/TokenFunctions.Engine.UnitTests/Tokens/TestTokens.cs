using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.UnitTests.Tokens;

/// <summary>Deterministic, well-formed fake tokens: same seed, same token.</summary>
internal static class TestTokens
{
    public const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /// <summary>The documented example of the v2 API pages.</summary>
    public const string Documented = "dt0c01.ST2EY72KQINMH574WMNVI7YN.G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM";

    public static string Text(string prefix, int seed, int publicLength = 24, int secretLength = 64)
    {
        var random = new Random(seed);
        return $"{prefix}.{Chars(random, publicLength)}.{Chars(random, secretLength)}";
    }

    public static string Classic(int seed) => Text("dt0c01", seed);

    public static string Platform(int seed) => Text("dt0s16", seed, publicLength: 8);

    public static TokenSecret Secret(string text) => TokenSecret.Parse(text);

    public static TokenSecret ClassicSecret(int seed) => TokenSecret.Parse(Classic(seed));

    /// <summary>The part that must never leave the process.</summary>
    public static string SecretPart(string token) => token[(token.LastIndexOf('.') + 1)..];

    public static string Chars(Random random, int length) =>
        string.Create(length, random, static (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Alphabet[r.Next(Alphabet.Length)];
            }
        });
}
