using System.Diagnostics.CodeAnalysis;

namespace TokenFunctions.Engine.Tokens;

/// <summary>
/// A full Dynatrace token (<c>prefix.public.secret</c>). The text is reachable only through <see cref="Reveal"/>, which
/// is called at the one place a secret must leave the process (an HTTP header, a lookup body, a Key Vault write).
/// <see cref="ToString"/> yields the redacted form, so string interpolation into a log line cannot leak it.
/// </summary>
public sealed class TokenSecret : IEquatable<TokenSecret>
{
    private readonly string _value;

    private TokenSecret(string value, TokenId id)
    {
        _value = value;
        Id = id;
        Fingerprint = TokenFingerprint.Of(value);
    }

    public TokenId Id { get; }

    public TokenKind Kind => Id.Kind;

    /// <summary>SHA-256 hex of the full token.</summary>
    public string Fingerprint { get; }

    /// <summary>The secret text. Never log, throw, audit or return it.</summary>
    public string Reveal() => _value;

    /// <summary><c>prefix.public.***</c>.</summary>
    public override string ToString() => Id.Value + ".***";

    public bool Equals(TokenSecret? other) => other is not null && string.Equals(Fingerprint, other.Fingerprint, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as TokenSecret);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Fingerprint);

    public static TokenSecret Parse(string value) =>
        TryParse(value, out var secret) ? secret : throw new FormatException("Not a Dynatrace token (expected dt0Xnn.PUBLIC.SECRET).");

    /// <summary>Accepts a whole string of the form <c>dt0[a-zA-Z]nn.PUBLIC(8–24).SECRET(64)</c>, nothing around it.</summary>
    public static bool TryParse([NotNullWhen(true)] string? value, [NotNullWhen(true)] out TokenSecret? secret)
    {
        secret = null;
        if (value is null)
        {
            return false;
        }

        var lastDot = value.LastIndexOf('.');
        if (lastDot < 0 || value.Length - lastDot - 1 != TokenPrefixes.SecretLength
            || !TokenPrefixes.IsTokenAlphabet(value.AsSpan(lastDot + 1))
            || !TokenId.TryParse(value[..lastDot], out var id))
        {
            return false;
        }

        secret = new TokenSecret(value, id);
        return true;
    }
}
