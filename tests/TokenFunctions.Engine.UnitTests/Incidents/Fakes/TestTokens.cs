using System.Globalization;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Incidents.Testing;

/// <summary>Deterministic, well-formed (and fake) Dynatrace tokens for tests.</summary>
public static class TestTokens
{
    public static string ClassicId(int i) => "dt0c01." + i.ToString("D24", CultureInfo.InvariantCulture);

    public static string PlatformId(int i) => "dt0s16.P" + i.ToString("D7", CultureInfo.InvariantCulture);

    /// <summary>The secret part is distinctive ("SECRET…") so a test can search any output for it.</summary>
    public static string ClassicSecret(int i) => ClassicId(i) + "." + SecretPart(i);

    public static string SecretPart(int i)
    {
        var seed = "SECRETX" + i.ToString("D9", CultureInfo.InvariantCulture);
        var text = string.Concat(Enumerable.Repeat(seed, 5));
        return text[..TokenPrefixes.SecretLength];
    }

    public static TokenId Id(string value) => TokenId.Parse(value);
}
