using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TokenFunctions.Engine.Dynatrace;

/// <summary>The configured environments and accounts, one client each, built once from validated options.</summary>
public sealed class DynatraceDirectory : IDynatraceDirectory
{
    public DynatraceDirectory(
        IOptions<DynatraceOptions> options,
        IHttpClientFactory httpClientFactory,
        ICredentialProvider credentials,
        TimeProvider time,
        ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        Environments =
        [
            .. settings.Environments.Select(e => new EnvironmentTokenClient(
                e.ToEnvironment(), httpClientFactory, credentials, settings, time, loggerFactory.CreateLogger<EnvironmentTokenClient>())),
        ];
        Accounts =
        [
            .. settings.Accounts.Select(a => new AccountTokenClient(
                a.ToAccount(), httpClientFactory, credentials, settings, time, loggerFactory.CreateLogger<AccountTokenClient>())),
        ];
    }

    public IReadOnlyList<IEnvironmentTokenClient> Environments { get; }

    public IReadOnlyList<IAccountTokenClient> Accounts { get; }
}
