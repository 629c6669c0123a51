using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Dynatrace;

/// <summary>
/// A token Dynatrace has just created. Its secret is returned this once and never again. <see cref="ServerId"/> is the
/// <c>tokenId</c> a platform-token create answered with when it is not <see cref="Id"/> (the server's own id form).
/// </summary>
public sealed record CreatedToken(TokenId Id, TokenSecret Secret, DateTimeOffset? ExpirationDate)
{
    public string? ServerId { get; init; }
}
