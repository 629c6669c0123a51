namespace TokenFunctions.Engine.Dynatrace.Targets;

/// <summary>The configured environments and accounts as token targets: the one place that decides which kind each serves.</summary>
public static class ConfiguredTargets
{
    /// <summary>Every environment (classic tokens), then every account (platform tokens), in configuration order.</summary>
    public static IEnumerable<ITokenTarget> Targets(this IDynatraceDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return directory.Environments.Select(e => (ITokenTarget)new EnvironmentTarget(e))
            .Concat(directory.Accounts.Select(a => new AccountTarget(a)));
    }
}
