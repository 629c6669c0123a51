using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Tests.Sources.Support;

/// <summary>Deterministic, well-formed (fake) Dynatrace tokens.</summary>
public static class TestTokens
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    public static string Classic(int n) => "dt0c01." + Chars(n, 24, 7) + "." + Chars(n, 64, 13);

    public static string Platform(int n) => "dt0s16." + Chars(n, 8, 5) + "." + Chars(n, 64, 11);

    public static TokenSecret Secret(int n) => TokenSecret.Parse(Classic(n));

    public static TokenId Id(int n) => Secret(n).Id;

    /// <summary>The 64-character secret part, for asserting it never appears in output.</summary>
    public static string SecretPart(int n) => Classic(n)[(Classic(n).LastIndexOf('.') + 1)..];

    private static string Chars(int n, int length, int step)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = Alphabet[((n * 31) + (i * step) + (i * i)) % Alphabet.Length];
        }

        return new string(chars);
    }
}
