using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Dynatrace.Credentials;

namespace TokenFunctions.Engine.UnitTests.Dynatrace;

public sealed class AddDynatraceTests
{
    private static ServiceProvider Build(Dictionary<string, string?> values)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDynatrace(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Binds_the_Dynatrace_section_into_one_client_per_environment_and_account()
    {
        using var services = Build(new()
        {
            ["Dynatrace:Environments:0:Name"] = "saas",
            ["Dynatrace:Environments:0:ApiBaseUrl"] = "https://abc12345.live.dynatrace.com",
            ["Dynatrace:Environments:0:Credential"] = "local-value",
            ["Dynatrace:Environments:1:Name"] = "managed",
            ["Dynatrace:Environments:1:ApiBaseUrl"] = "https://dt.example.com/e/env2",
            ["Dynatrace:Environments:1:Credential"] = "other-value",
            ["Dynatrace:Environments:1:DisableApi"] = "V1",
            ["Dynatrace:Accounts:0:Name"] = "acme",
            ["Dynatrace:Accounts:0:AccountUuid"] = "2b794097-8ad2-4b32-b923-0131da2eeddf",
            ["Dynatrace:Accounts:0:ClientId"] = "dt0s02.ABCDEFGH",
            ["Dynatrace:Accounts:0:ClientSecret"] = "secret",
            ["Dynatrace:RequestDeadline"] = "00:00:05",
        });

        var directory = services.GetRequiredService<IDynatraceDirectory>();

        Assert.Equal(["saas", "managed"], directory.Environments.Select(e => e.Environment.Name));
        Assert.Equal("https://abc12345.live.dynatrace.com/", directory.Environments[0].Environment.ApiBaseUrl.ToString());
        Assert.Equal("https://dt.example.com/e/env2/", directory.Environments[1].Environment.ApiBaseUrl.ToString());
        Assert.Equal(DisableApi.V1, directory.Environments[1].Environment.DisableApi);
        Assert.Equal("acme", Assert.Single(directory.Accounts).Account.Name);
        Assert.Equal(TimeSpan.FromSeconds(5), services.GetRequiredService<IOptions<DynatraceOptions>>().Value.RequestDeadline);
        Assert.IsType<SettingsCredentialProvider>(services.GetRequiredService<ICredentialProvider>());
    }

    [Fact]
    public void One_client_factory_builds_the_directory_clients_and_any_other_client_with_a_base_URL_ending_in_a_slash()
    {
        using var services = Build(new()
        {
            ["Dynatrace:Environments:0:Name"] = "saas",
            ["Dynatrace:Environments:0:ApiBaseUrl"] = "https://abc12345.live.dynatrace.com",
            ["Dynatrace:Environments:0:Credential"] = "local-value",
        });
        var factory = Assert.IsType<DynatraceClientFactory>(services.GetRequiredService<IDynatraceClientFactory>());

        var swapped = factory.CreateEnvironment(new DynatraceEnvironment
        {
            Name = "saas",
            ApiBaseUrl = new Uri("https://dt.example.com/e/env2"),
            Credential = CredentialReference.FromValue("other-value"),
            SecondaryCredential = CredentialReference.FromValue("local-value"),
        });
        var account = factory.CreateAccount(new DynatraceAccount
        {
            Name = "acme",
            AccountUuid = Guid.Parse("2b794097-8ad2-4b32-b923-0131da2eeddf"),
            ClientId = "dt0s02.ABCDEFGH",
            ClientSecret = CredentialReference.FromValue("secret"),
            ApiBaseUrl = new Uri("https://api.example.com/gateway"),
        });

        Assert.IsType<EnvironmentTokenClient>(Assert.Single(services.GetRequiredService<IDynatraceDirectory>().Environments));
        Assert.Equal("https://dt.example.com/e/env2/", Assert.IsType<EnvironmentTokenClient>(swapped).Environment.ApiBaseUrl.ToString());
        Assert.Equal(CredentialReference.FromValue("other-value"), swapped.Environment.Credential);
        Assert.Equal("https://api.example.com/gateway/", Assert.IsType<AccountTokenClient>(account).Account.ApiBaseUrl.ToString());
    }

    [Fact]
    public void Invalid_configuration_fails_with_every_problem_named()
    {
        using var services = Build(new()
        {
            ["Dynatrace:Environments:0:Name"] = "prod",
            ["Dynatrace:Environments:0:ApiBaseUrl"] = "http://abc12345.live.dynatrace.com/",
            ["Dynatrace:Environments:0:CredentialSecretName"] = "dt-prod",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IDynatraceDirectory>());

        Assert.Contains(error.Failures, f => f.Contains("Dynatrace:Environments:0:ApiBaseUrl must use https", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("KeyVault:VaultUri is required", StringComparison.Ordinal));
    }

    [Fact]
    public void A_vault_URI_switches_credentials_to_Key_Vault()
    {
        using var services = Build(new()
        {
            ["KeyVault:VaultUri"] = "https://kv.vault.azure.net/",
            ["Dynatrace:Environments:0:Name"] = "prod",
            ["Dynatrace:Environments:0:ApiBaseUrl"] = "https://abc12345.live.dynatrace.com/",
            ["Dynatrace:Environments:0:CredentialSecretName"] = "dt-prod",
        });

        Assert.IsType<KeyVaultCredentialProvider>(services.GetRequiredService<ICredentialProvider>());
        Assert.Equal(new Uri("https://kv.vault.azure.net/"), services.GetRequiredService<SecretClient>().VaultUri);
    }
}
