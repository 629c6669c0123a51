using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TokenFunctions.Engine.Dynatrace;

namespace TokenFunctions.Engine.IntegrationTests.Dynatrace;

/// <summary>Builds the <c>Dynatrace</c> configuration section the way an app setting would, then the real DI graph.</summary>
internal sealed class DynatraceConfig
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.OrdinalIgnoreCase)
    {
        // Tight budgets keep fault tests quick; the defaults are covered by the options tests. The attempt timeout
        // leaves room for a cold, CPU-starved first request on a shared build machine.
        ["Dynatrace:RequestDeadline"] = "00:00:06",
        ["Dynatrace:AttemptTimeout"] = "00:00:02",
        ["Dynatrace:RetryBaseDelay"] = "00:00:00.050",
        ["Dynatrace:RetryMaxDelay"] = "00:00:00.250",
    };

    private int _environments;
    private int _accounts;

    public DynatraceConfig Environment(string name, Uri apiBaseUrl, string credential, string? secondary = null, DisableApi disableApi = DisableApi.V2, bool keyVault = false)
    {
        var key = $"Dynatrace:Environments:{_environments++}";
        _values[$"{key}:Name"] = name;
        _values[$"{key}:ApiBaseUrl"] = apiBaseUrl.ToString();
        _values[$"{key}:{(keyVault ? "CredentialSecretName" : "Credential")}"] = credential;
        if (secondary is not null)
        {
            _values[$"{key}:{(keyVault ? "SecondaryCredentialSecretName" : "SecondaryCredential")}"] = secondary;
        }

        _values[$"{key}:DisableApi"] = disableApi.ToString();
        return this;
    }

    public DynatraceConfig Account(string name, Guid uuid, string clientId, string clientSecret, Uri ssoTokenEndpoint, Uri apiBaseUrl, string? secondaryClientId = null, string? secondaryClientSecret = null)
    {
        var key = $"Dynatrace:Accounts:{_accounts++}";
        _values[$"{key}:Name"] = name;
        _values[$"{key}:AccountUuid"] = uuid.ToString();
        _values[$"{key}:ClientId"] = clientId;
        _values[$"{key}:ClientSecret"] = clientSecret;
        _values[$"{key}:SsoTokenEndpoint"] = ssoTokenEndpoint.ToString();
        _values[$"{key}:ApiBaseUrl"] = apiBaseUrl.ToString();
        if (secondaryClientId is not null)
        {
            _values[$"{key}:SecondaryClientId"] = secondaryClientId;
            _values[$"{key}:SecondaryClientSecret"] = secondaryClientSecret;
        }

        return this;
    }

    public DynatraceConfig Set(string key, string? value)
    {
        _values[key] = value;
        return this;
    }

    public IConfiguration Build() => new ConfigurationBuilder().AddInMemoryCollection(_values).Build();

    public ServiceProvider Services(LogCapture logs, TimeProvider? time = null, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        configure?.Invoke(services);
        services.AddDynatrace(Build());
        return services.BuildServiceProvider();
    }
}
