using System.Diagnostics.CodeAnalysis;

namespace TokenFunctions.Engine.Tokens;

/// <summary>
/// The public identifier of a Dynatrace token: <c>prefix.public</c>. Dynatrace documents it as safe to display and log,
/// so it is the only token text that may reach logs, audit records and responses.
/// </summary>
public readonly record struct TokenId
{
    private TokenId(string value, int dot)
    {
        Value = value;
        Dot = dot;
    }

    public string Value { get; }

    private int Dot { get; }

    /// <summary>The six-character prefix, e.g. <c>dt0c01</c>.</summary>
    public string Prefix => Value[..Dot];

    /// <summary>The public part after the prefix.</summary>
    public string PublicPart => Value[(Dot + 1)..];

    public TokenKind Kind => TokenPrefixes.KindOf(Prefix);

    public override string ToString() => Value ?? string.Empty;

    public static TokenId Parse(string value) =>
        TryParse(value, out var id) ? id : throw new FormatException("Not a Dynatrace token id (expected dt0Xnn.PUBLIC).");

    /// <summary>Accepts <c>dt0[a-z]nn.PUBLIC</c> with an uppercase alphanumeric public part of 8 to 24 characters.</summary>
    public static bool TryParse([NotNullWhen(true)] string? value, out TokenId id)
    {
        id = default;
        if (value is null || value.Length < TokenPrefixes.PrefixLength + 1 + TokenPrefixes.MinPublicLength)
        {
            return false;
        }

        if (!TokenPrefixes.IsPrefix(value.AsSpan(0, TokenPrefixes.PrefixLength)) || value[TokenPrefixes.PrefixLength] != '.')
        {
            return false;
        }

        var publicPart = value.AsSpan(TokenPrefixes.PrefixLength + 1);
        if (publicPart.Length > TokenPrefixes.MaxPublicLength || !TokenPrefixes.IsTokenAlphabet(publicPart))
        {
            return false;
        }

        id = new TokenId(value, TokenPrefixes.PrefixLength);
        return true;
    }
}
