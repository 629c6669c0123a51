using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Dynatrace;

/// <summary>A token Dynatrace has just created. Its secret is returned this once and never again.</summary>
public sealed record CreatedToken(TokenId Id, TokenSecret Secret, DateTimeOffset? ExpirationDate);
