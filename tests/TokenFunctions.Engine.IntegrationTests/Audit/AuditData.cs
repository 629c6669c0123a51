using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.IntegrationTests.Audit;

internal static class AuditData
{
    public const string Secret = "dt0c01.ST2EY72KQINMH574WMNVI7YN.G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM";
    public const string SecretPart = "G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM";

    public static readonly TokenId TokenA = TokenId.Parse("dt0c01.ST2EY72KQINMH574WMNVI7YN");
    public static readonly TokenId TokenB = TokenId.Parse("dt0s16.TYUHJKNM");

    /// <summary>"Now" for the tests: 12:30 UTC, so the last hour spans two hour partitions.</summary>
    public static readonly DateTimeOffset Now = new(2026, 9, 1, 12, 30, 0, TimeSpan.Zero);

    public static TokenId Token(int n) => TokenId.Parse($"dt0c01.{n:D24}");

    public static AuditRecord Record(TokenId? token, DateTimeOffset at, string incident, string detail = "ok", string outcome = "Disabled") => new()
    {
        Timestamp = at,
        Source = "github-alert",
        CorrelationId = incident,
        Action = "disable",
        Outcome = outcome,
        TokenId = token,
        TokenKind = token?.Kind,
        Owner = "prod-env",
        Detail = detail,
        Latency = TimeSpan.FromMilliseconds(120),
    };
}
