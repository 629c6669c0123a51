using TokenFunctions.Cli.Errors;
using TokenFunctions.Cli.Hosting;
using TokenFunctions.Engine.Dynatrace;

namespace TokenFunctions.Cli.Commands;

/// <summary>Names of configured environments and accounts given on the command line, checked before any work starts.</summary>
internal static class Targets
{
    /// <summary>A usage error naming the configured targets (nearest first) when <paramref name="name"/> is none of them.</summary>
    public static void Require(EngineSession session, string? name, string option, bool environments = true, bool accounts = true)
    {
        if (name is null)
        {
            return;
        }

        var directory = session.Get<IDynatraceDirectory>();
        var known = (environments ? directory.Environments.Select(e => e.Environment.Name) : [])
            .Concat(accounts ? directory.Accounts.Select(a => a.Account.Name) : [])
            .ToList();
        if (known.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            return;
        }

        var what = environments && accounts ? "environment or account" : environments ? "environment" : "account";
        throw CliException.Usage(known.Count == 0
            ? $"{option} {name}: no {what} is configured."
            : $"{option} {name} is not a configured {what}; configured: {string.Join(", ", known)}.");
    }
}
