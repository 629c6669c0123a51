using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Dynatrace.Targets;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Kill;

/// <summary>
/// How an outcome's detail names a token's state in Dynatrace's own words: a classic token is enabled or disabled in an
/// environment, a platform token ACTIVE or INACTIVE in an account. The one place the kill's texts differ by kind.
/// </summary>
internal static class KillWording
{
    public static string State(ITokenTarget target, TokenFacts facts) => IsPlatform(target)
        ? $"Its status in {target.Name} is {facts.Status ?? "unknown"}."
        : $"It is {(facts.Enabled == true ? "enabled" : "disabled")} in {target.Name}.";

    public static string AlreadyDisabled(ITokenTarget target, TokenId id) =>
        $"{id} was already {Off(target)} in {Place(target)}; nothing written." + ReadingsMet(target);

    public static string WouldDisable(ITokenTarget target, TokenId id) => $"Dry run: would {Set(target, id, enabled: false)} in {Place(target)}." + ReadingsMet(target);

    public static string AlreadyEnabled(ITokenTarget target, TokenId id) => $"{id} was already {On(target)} in {Place(target)}; nothing written.";

    public static string WouldEnable(ITokenTarget target, TokenId id) => $"Dry run: would {Set(target, id, enabled: true)} in {Place(target)}.";

    /// <summary>" Readings met in {account}: …", so an operator learns which reading of the docs the live service uses.</summary>
    public static string ReadingsMet(ITokenTarget target) =>
        target.Readings != PlatformReadings.None ? $" Readings met in {target.Name}: {target.Readings.Describe()}." : string.Empty;

    private static bool IsPlatform(ITokenTarget target) => target.Kind == TokenKind.PlatformToken;

    private static string Place(ITokenTarget target) => IsPlatform(target) ? "account " + target.Name : target.Name;

    private static string On(ITokenTarget target) => IsPlatform(target) ? "ACTIVE" : "enabled";

    private static string Off(ITokenTarget target) => IsPlatform(target) ? "INACTIVE" : "disabled";

    private static string Set(ITokenTarget target, TokenId id, bool enabled) =>
        IsPlatform(target) ? $"set {id} {(enabled ? "ACTIVE" : "INACTIVE")}" : $"{(enabled ? "enable" : "disable")} {id}";
}
