using Azure.Core;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moq;
using TokenFunctions.Engine.KeyVault;

namespace TokenFunctions.Engine.UnitTests.KeyVault;

public sealed class KeyVaultRegistrationTests
{
    [Theory]
    [InlineData("9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08")]
    [InlineData("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    [InlineData("9F:86:D0:81:88:4C:7D:65:9A:2F:EA:A0:C5:5A:D0:15:A3:BF:4F:1B:2B:0B:82:2C:D1:5D:6C:15:B0:F0:0A:08")]
    public void A_pin_is_64_hex_digits_in_any_case_with_optional_colons(string pin)
    {
        Assert.True(SecretClientFactory.TryParsePin(pin, out var bytes));
        Assert.Equal("9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08", Convert.ToHexString(bytes));
    }

    [Theory]
    [InlineData("")]
    [InlineData("9F86D081")]
    [InlineData("9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A0G")]
    [InlineData("9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A0800")]
    public void Anything_else_is_not_a_pin(string pin) => Assert.False(SecretClientFactory.TryParsePin(pin, out _));

    [Fact]
    public void The_validator_accepts_no_pin_on_any_vault_and_refuses_a_pin_off_loopback()
    {
        var production = new KeyVaultOptions { VaultUri = new Uri("https://kv-prod.vault.azure.net/") };
        var pinned = new KeyVaultOptions { VaultUri = new Uri("https://kv-prod.vault.azure.net/"), LoopbackCertificateSha256 = new string('0', 64) };

        Assert.Empty(KeyVaultOptionsValidator.Validate(production));
        Assert.Contains("kv-prod.vault.azure.net", Assert.Single(KeyVaultOptionsValidator.Validate(pinned)), StringComparison.Ordinal);
        Assert.Empty(KeyVaultOptionsValidator.Validate(new KeyVaultOptions { VaultUri = new Uri("https://127.0.0.1:1234/"), LoopbackCertificateSha256 = new string('0', 64) }));
    }

    [Fact]
    public void The_factory_itself_refuses_a_pin_off_loopback_even_without_the_validator()
    {
        var options = new KeyVaultOptions { VaultUri = new Uri("https://kv-prod.vault.azure.net/"), LoopbackCertificateSha256 = new string('0', 64) };

        var error = Assert.Throws<InvalidOperationException>(() => SecretClientFactory.Create(options, Mock.Of<TokenCredential>()));

        Assert.Contains("KeyVault:LoopbackCertificateSha256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddKeyVault_registers_one_client_and_one_validator_however_often_it_is_called()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["KeyVault:VaultUri"] = "https://kv.vault.azure.net/" }).Build();
        var services = new ServiceCollection();

        services.AddKeyVault(configuration).AddKeyVault(configuration);

        Assert.Single(services, d => d.ServiceType == typeof(SecretClient));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<KeyVaultOptions>));
        using var provider = services.BuildServiceProvider();
        Assert.Equal(new Uri("https://kv.vault.azure.net/"), provider.GetRequiredService<SecretClient>().VaultUri);
    }

    [Fact]
    public void A_SecretClient_registered_first_wins()
    {
        var mine = new Mock<SecretClient>().Object;
        var services = new ServiceCollection().AddSingleton(mine);

        services.AddKeyVault(new ConfigurationBuilder().Build());

        using var provider = services.BuildServiceProvider();
        Assert.Same(mine, provider.GetRequiredService<SecretClient>());
    }
}
