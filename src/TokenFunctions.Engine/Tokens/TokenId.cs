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

    /// <summary>The six-character prefix, e.g. <c>dt0c01</c>; empty for a <see cref="IsServerForm"/> id.</summary>
    public string Prefix => IsServerForm ? string.Empty : Value[..Dot];

    /// <summary>
    /// A platform token's id in the form the Account Management API gave it when that is not <c>dt0s16.PUBLIC</c> (a UUID
    /// in Dynatrace's CLI's fixtures, reference §10). It addresses the token at the API; nothing a scanner finds has it.
    /// </summary>
    public bool IsServerForm => Dot < 0;

    public TokenKind Kind => IsServerForm ? TokenKind.PlatformToken : TokenPrefixes.KindOf(Prefix);

    public override string ToString() => Value ?? string.Empty;

    public static TokenId Parse(string value) =>
        TryParse(value, out var id) ? id : throw new FormatException("Not a Dynatrace token id (expected dt0Xnn.PUBLIC).");

    /// <summary>
    /// A platform token's <c>tokenId</c> as the Account Management API answered it: a <c>dt0s16.PUBLIC</c> id when it is one,
    /// otherwise a <see cref="IsServerForm"/> id of 1 to 64 letters, digits, <c>-</c> and <c>_</c> (e.g. a UUID). Only for
    /// ids read from Dynatrace's answers (and this app's own state); input from leak sources goes through <see cref="TryParse"/>.
    /// </summary>
    public static bool TryFromServer([NotNullWhen(true)] string? value, out TokenId id)
    {
        if (TryParse(value, out id))
        {
            return true;
        }

        if (value is null || value.Length is 0 or > MaxServerIdLength || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            id = default;
            return false;
        }

        id = new TokenId(value, -1);
        return true;
    }

    /// <summary><see cref="TryFromServer"/> for ids this app stored itself (progress of a listing); throws on anything else.</summary>
    public static TokenId FromServer(string value) =>
        TryFromServer(value, out var id) ? id : throw new FormatException("Not a Dynatrace token id (dt0Xnn.PUBLIC) nor a platform token's server id.");

    private const int MaxServerIdLength = 64;

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
