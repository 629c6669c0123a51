using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Dynatrace.Credentials;
using TokenFunctions.Engine.Dynatrace.Http;
using TokenFunctions.Engine.KeyVault;

namespace TokenFunctions.Engine.Dynatrace;

public static class DynatraceServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IDynatraceDirectory"/> with its environment and account clients (built by
    /// <see cref="IDynatraceClientFactory"/>), the named resilient <see cref="HttpClient"/>s, <see cref="ICredentialProvider"/>
    /// (Key Vault when <c>KeyVault:VaultUri</c> is set, configuration values otherwise) and the options, validated at startup.
    /// </summary>
    public static IServiceCollection AddDynatrace(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<DynatraceOptions>().Bind(configuration.GetSection(DynatraceOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DynatraceOptions>, DynatraceOptionsValidator>());

        services.AddKeyVault(configuration);
        services.TryAddSingleton<ICredentialProvider>(sp =>
            sp.GetRequiredService<IOptions<KeyVaultOptions>>().Value.VaultUri is null
                ? new SettingsCredentialProvider()
                : new KeyVaultCredentialProvider(
                    sp.GetRequiredService<SecretClient>(),
                    sp.GetRequiredService<TimeProvider>(),
                    sp.GetRequiredService<IOptions<DynatraceOptions>>().Value.CredentialCacheDuration));

        AddDynatraceHttpClient(services, DynatraceHttpClientNames.Environment);
        AddDynatraceHttpClient(services, DynatraceHttpClientNames.Account);
        AddDynatraceHttpClient(services, DynatraceHttpClientNames.Sso);

        services.TryAddSingleton<IDynatraceClientFactory, DynatraceClientFactory>();
        services.TryAddSingleton<IDynatraceDirectory, DynatraceDirectory>();
        services.TryAddSingleton<IConfiguredTargets, DirectoryTargets>();
        services.AddHostedService<PlatformScopeStartupLog>();
        return services;
    }

    private static void AddDynatraceHttpClient(IServiceCollection services, string name)
    {
        services.AddHttpClient(name)
            // The pipeline owns every timeout (per attempt and the operation's deadline), so HttpClient's own 100 s
            // default must not cut in.
            .ConfigureHttpClient(static client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // A redirect would carry our Api-Token elsewhere or lose it; either way it is a misconfigured base URL.
                AllowAutoRedirect = false,
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(5),
            })
            .RedactLoggedHeaders(static _ => true)
            .AddResilienceHandler(DynatraceResilience.PipelineName, static (builder, context) =>
            {
                var sp = context.ServiceProvider;
                DynatraceResilience.Configure(
                    builder,
                    sp.GetRequiredService<IOptions<DynatraceOptions>>().Value,
                    sp.GetRequiredService<TimeProvider>(),
                    sp.GetRequiredService<ILoggerFactory>().CreateLogger("TokenFunctions.Engine.Dynatrace.Http"));
            });
    }
}
