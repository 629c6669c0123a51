using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Dynatrace.Targets;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Notifications;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.UnitTests.Notifications;

internal static class NotificationTestData
{
    public const string Secret = "dt0c01.ST2EY72KQINMH574WMNVI7YN.G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM";
    public const string SecretPart = "G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM";

    public static readonly TokenId Classic = TokenId.Parse("dt0c01.ST2EY72KQINMH574WMNVI7YN");
    public static readonly TokenId Platform = TokenId.Parse("dt0s16.TYUHJKNM");
    public static readonly TokenId OAuth = TokenId.Parse("dt0s02.ABCDEFGH");
    public static readonly TokenId Protected = TokenId.Parse("dt0c01.PROTECTED000000000000000");

    public static readonly DateTimeOffset T0 = new(2026, 9, 1, 12, 30, 0, TimeSpan.Zero);

    /// <summary>A realistic mixed incident: every secret-bearing field is fed a full token, which must never come out.</summary>
    public static KillResult MixedResult() => new(
    [
        new TokenOutcome
        {
            TokenId = Classic,
            Outcome = TokenOutcomeKind.Disabled,
            Owner = "prod-env",
            Detail = "disabled; the leaked value was " + Secret,
            Facts = TokenFacts.From(new ApiTokenInfo { Id = Classic, Owner = "alice@example.com", Name = "ci " + Secret }),
            ReplacementLocation = "https://kv-tokens.vault.azure.net/secrets/ci-token",
        },
        new TokenOutcome
        {
            TokenId = Platform,
            Outcome = TokenOutcomeKind.AlreadyDisabled,
            Owner = "account-main",
            Facts = TokenFacts.From(new PlatformTokenInfo { Id = Platform, UserUuid = "7f1c2d3e-uuid-bob" }),
        },
        new TokenOutcome { TokenId = OAuth, Outcome = TokenOutcomeKind.Unsupported, Detail = Secret },
        new TokenOutcome
        {
            TokenId = Protected,
            Outcome = TokenOutcomeKind.Protected,
            Owner = "prod-env",
            Facts = TokenFacts.From(new ApiTokenInfo { Id = Protected, Owner = "carol@example.com" }),
        },
    ]);

    public static IncidentSummary Mixed(string correlationId = "incident-1", bool dryRun = false) =>
        IncidentSummary.From(MixedResult(), correlationId, "github-alert", dryRun, T0);

    public static NotificationOptions Options() => new()
    {
        OwnerContacts = new(StringComparer.OrdinalIgnoreCase)
        {
            ["alice@example.com"] = "<@U0ALICE>",
            ["7F1C2D3E-UUID-BOB"] = "bob@example.com",
            ["prod-env"] = "#prod-oncall",
        },
        DefaultContact = "security-oncall@example.com",
    };

    public static IncidentSummary Many(int count, string correlationId = "incident-big") => IncidentSummary.From(
        new KillResult(Enumerable.Range(0, count).Select(i => new TokenOutcome
        {
            TokenId = TokenId.Parse($"dt0c01.{i:D24}"),
            Outcome = i % 10 == 0 ? TokenOutcomeKind.NotFound : TokenOutcomeKind.Disabled,
            Owner = "prod-env",
        }).ToList()),
        correlationId,
        "kill-switch",
        false,
        T0);
}
