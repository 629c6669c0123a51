using System.Security.Cryptography;

namespace TokenFunctions.DynatraceSandbox.State;

/// <summary>Fresh ids and secrets in Dynatrace's documented format (uppercase A–Z and 0–9).</summary>
internal static class TokenGenerator
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    public static (string Id, string Secret) Classic() => New("dt0c01", 24);

    public static (string Id, string Secret) Platform() => New("dt0s16", 8);

    public static (string Id, string Secret) OAuthClient() => New("dt0s02", 8);

    /// <summary>An opaque bearer; deliberately not in the dt0 format, like Dynatrace's JWT bearers.</summary>
    public static string Bearer() => "eyJ" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(36)).Replace('+', '-').Replace('/', '_');

    private static (string Id, string Secret) New(string prefix, int publicLength)
    {
        var id = prefix + "." + RandomNumberGenerator.GetString(Alphabet, publicLength);
        return (id, id + "." + RandomNumberGenerator.GetString(Alphabet, 64));
    }
}
