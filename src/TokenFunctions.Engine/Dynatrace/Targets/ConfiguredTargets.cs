using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Dynatrace.Targets;

/// <summary>The configured environments and accounts as token targets: the one place that decides which kind each serves.</summary>
public static class ConfiguredTargets
{
    /// <summary>Every environment (classic tokens), then every account (platform tokens), in configuration order.</summary>
    public static IEnumerable<ITokenTarget> Targets(this IDynatraceDirectory directory) =>
        directory.TargetsFor(TokenKind.ClassicApiToken).Concat(directory.TargetsFor(TokenKind.PlatformToken));

    /// <summary>The targets that can hold a token of <paramref name="kind"/>, in configuration order; none for other kinds.</summary>
    public static IReadOnlyList<ITokenTarget> TargetsFor(this IDynatraceDirectory directory, TokenKind kind)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return kind switch
        {
            TokenKind.ClassicApiToken => [.. directory.Environments.Select(e => new EnvironmentTarget(e))],
            TokenKind.PlatformToken => [.. directory.Accounts.Select(a => new AccountTarget(a))],
            _ => [],
        };
    }
}
