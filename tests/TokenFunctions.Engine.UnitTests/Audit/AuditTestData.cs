using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.UnitTests.Audit;

internal static class AuditTestData
{
    public const string Secret = "dt0c01.ST2EY72KQINMH574WMNVI7YN.G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM";

    /// <summary>The part of <see cref="Secret"/> that must never be stored, logged or returned.</summary>
    public const string SecretPart = "G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM";

    public static readonly TokenId TokenA = TokenId.Parse("dt0c01.ST2EY72KQINMH574WMNVI7YN");
    public static readonly TokenId TokenB = TokenId.Parse("dt0s16.TYUHJKNM");

    public static readonly DateTimeOffset T0 = new(2026, 9, 1, 12, 30, 0, TimeSpan.Zero);

    public static AuditRecord Record(TokenId? token = null, DateTimeOffset? at = null, string correlationId = "incident-1", string detail = "ok") => new()
    {
        Timestamp = at ?? T0,
        Source = "github-alert",
        CorrelationId = correlationId,
        Action = "disable",
        Outcome = "Disabled",
        TokenId = token,
        TokenKind = token?.Kind,
        Detail = detail,
    };
}
