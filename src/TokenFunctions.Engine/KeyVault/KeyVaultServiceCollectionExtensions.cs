using Azure.Core;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace TokenFunctions.Engine.KeyVault;

public static class KeyVaultServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="KeyVaultOptions"/> (section <c>KeyVault</c>, validated at start-up) and the one <see cref="SecretClient"/>
    /// every capability uses (<see cref="SecretClientFactory"/>), with a <see cref="TokenCredential"/> from DI when one is
    /// registered (the CLI sandbox's), else <c>DefaultAzureCredential</c>. A <see cref="SecretClient"/> registered earlier
    /// (a test's) wins. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddKeyVault(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(d => d.ServiceType == typeof(KeyVaultRegistered)))
        {
            return services;
        }

        services.AddSingleton(new KeyVaultRegistered());
        services.AddOptions<KeyVaultOptions>().Bind(configuration.GetSection(KeyVaultOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KeyVaultOptions>, KeyVaultOptionsValidator>());
        services.TryAddSingleton(sp => SecretClientFactory.Create(sp.GetRequiredService<IOptions<KeyVaultOptions>>().Value, sp.GetService<TokenCredential>()));
        return services;
    }

    private sealed class KeyVaultRegistered;
}
