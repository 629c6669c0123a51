using Microsoft.Extensions.Options;

namespace TokenFunctions.Engine.Dynatrace;

/// <summary>The configured environments and accounts, one client each, built once from validated options.</summary>
public sealed class DynatraceDirectory : IDynatraceDirectory
{
    public DynatraceDirectory(IOptions<DynatraceOptions> options, IDynatraceClientFactory clients)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clients);
        var settings = options.Value;
        Environments = [.. settings.Environments.Select(e => clients.CreateEnvironment(e.ToEnvironment()))];
        Accounts = [.. settings.Accounts.Select(a => clients.CreateAccount(a.ToAccount()))];
    }

    public IReadOnlyList<IEnvironmentTokenClient> Environments { get; }

    public IReadOnlyList<IAccountTokenClient> Accounts { get; }
}
