using System.Globalization;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.UnitTests.Fakes;

/// <summary>
/// Deterministic, well-formed (and fake) Dynatrace tokens: same input, same token. Three families, each kept exactly as
/// the tests that use it were written against:
/// numbered (<see cref="ClassicId"/>: ids that sort by number, secrets that read "SECRET…"),
/// indexed (<see cref="Classic(int)"/>: a fixed character walk per index) and
/// seeded (<see cref="RandomClassic"/>, <see cref="Text"/>: <see cref="Random"/> with the seed).
/// </summary>
public static class TestTokens
{
    public const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /// <summary>The documented example of the v2 API pages.</summary>
    public const string Documented = "dt0c01.ST2EY72KQINMH574WMNVI7YN.G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM";

    // Numbered.
    public static string ClassicId(int i) => "dt0c01." + i.ToString("D24", CultureInfo.InvariantCulture);

    public static string PlatformId(int i) => "dt0s16.P" + i.ToString("D7", CultureInfo.InvariantCulture);

    /// <summary>The secret part is distinctive ("SECRET…") so a test can search any output for it.</summary>
    public static string NumberedSecret(int i) => ClassicId(i) + "." + NumberedSecretPart(i);

    public static string NumberedSecretPart(int i)
    {
        var seed = "SECRETX" + i.ToString("D9", CultureInfo.InvariantCulture);
        var text = string.Concat(Enumerable.Repeat(seed, 5));
        return text[..TokenPrefixes.SecretLength];
    }

    public static TokenId Id(string value) => TokenId.Parse(value);

    // Indexed.
    public static string Classic(int n) => "dt0c01." + Walk(n, 24, 7) + "." + Walk(n, 64, 13);

    public static string Platform(int n) => "dt0s16." + Walk(n, 8, 5) + "." + Walk(n, 64, 11);

    public static TokenSecret Secret(int n) => TokenSecret.Parse(Classic(n));

    public static TokenId Id(int n) => Secret(n).Id;

    /// <summary>The 64-character secret part of <see cref="Classic(int)"/>, for asserting it never appears in output.</summary>
    public static string SecretPart(int n) => Classic(n)[(Classic(n).LastIndexOf('.') + 1)..];

    // Seeded.
    public static string Text(string prefix, int seed, int publicLength = 24, int secretLength = 64)
    {
        var random = new Random(seed);
        return $"{prefix}.{Chars(random, publicLength)}.{Chars(random, secretLength)}";
    }

    public static string RandomClassic(int seed) => Text("dt0c01", seed);

    public static string RandomPlatform(int seed) => Text("dt0s16", seed, publicLength: 8);

    public static TokenSecret Secret(string text) => TokenSecret.Parse(text);

    public static TokenSecret RandomClassicSecret(int seed) => TokenSecret.Parse(RandomClassic(seed));

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

    private static string Walk(int n, int length, int step)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = Alphabet[((n * 31) + (i * step) + (i * i)) % Alphabet.Length];
        }

        return new string(chars);
    }
}
