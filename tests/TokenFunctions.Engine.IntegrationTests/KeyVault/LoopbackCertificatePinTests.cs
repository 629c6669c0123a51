using System.Security.Authentication;
using System.Security.Cryptography;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.KeyVault;
using static TokenFunctions.Engine.IntegrationTests.KeyVault.VaultClients;
using VaultSandbox = TokenFunctions.KeyVaultSandbox.KeyVaultSandbox;

namespace TokenFunctions.Engine.IntegrationTests.KeyVault;

/// <summary><c>KeyVault:LoopbackCertificateSha256</c>: off by default, trusts exactly one certificate, never off loopback.</summary>
public sealed class LoopbackCertificatePinTests
{
    [Fact]
    public async Task Without_the_pin_the_app_client_refuses_the_sandbox_certificate_before_any_request()
    {
        await using var vault = await VaultSandbox.StartAsync(cancellationToken: Ct);
        vault.Seed("kept", NewValue());
        var client = SecretClientFactory.Create(new KeyVaultOptions { VaultUri = vault.VaultUri }, vault.Credential, o => FastRetries(o));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => client.GetSecretAsync("kept", cancellationToken: Ct));

        Assert.Contains(Chain(error), e => e is AuthenticationException);
        Assert.Equal(0, vault.RequestCount);
    }

    [Fact]
    public async Task A_pin_of_another_certificate_is_refused_before_any_request()
    {
        await using var vault = await VaultSandbox.StartAsync(cancellationToken: Ct);
        vault.Seed("kept", NewValue());
        var options = new KeyVaultOptions { VaultUri = vault.VaultUri, LoopbackCertificateSha256 = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)) };
        var client = SecretClientFactory.Create(options, vault.Credential, o => FastRetries(o));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => client.GetSecretAsync("kept", cancellationToken: Ct));

        Assert.Contains(Chain(error), e => e is AuthenticationException);
        Assert.Equal(0, vault.RequestCount);
    }

    [Fact]
    public async Task The_pin_in_lower_case_or_with_colons_is_the_same_pin()
    {
        await using var vault = await VaultSandbox.StartAsync(cancellationToken: Ct);
        var seeded = vault.Seed("kept", NewValue());
        var colons = string.Join(':', vault.CertificateSha256.ToLowerInvariant().Chunk(2).Select(c => new string(c)));

        var read = await SecretClientFactory.Create(new KeyVaultOptions { VaultUri = vault.VaultUri, LoopbackCertificateSha256 = colons }, vault.Credential)
            .GetSecretAsync("kept", cancellationToken: Ct);

        SameValue(seeded.Value, read.Value.Value);
    }

    [Theory]
    [InlineData("https://kv-tokenfn-prod.vault.azure.net/")]
    [InlineData("https://10.0.0.5:8443/")]
    [InlineData("http://127.0.0.1:8443/")]
    [InlineData(null)]
    public async Task With_the_pin_a_vault_that_is_not_https_on_loopback_is_refused_at_start_up(string? vaultUri)
    {
        using var host = Host(new() { ["KeyVault:VaultUri"] = vaultUri, ["KeyVault:LoopbackCertificateSha256"] = new string('a', 64) });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        var failure = Assert.Single(error.Failures);
        Assert.StartsWith("KeyVault:LoopbackCertificateSha256 trusts a test vault's self-signed certificate", failure, StringComparison.Ordinal);
        Assert.Contains(vaultUri is null ? "not set" : new Uri(vaultUri).Authority, failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://127.0.0.1:8443/")]
    [InlineData("https://localhost:8443/")]
    [InlineData("https://[::1]:8443/")]
    public async Task With_the_pin_an_https_loopback_vault_starts(string vaultUri)
    {
        using var host = Host(new() { ["KeyVault:VaultUri"] = vaultUri, ["KeyVault:LoopbackCertificateSha256"] = new string('a', 64) });

        await host.StartAsync(Ct);

        Assert.Equal(new Uri(vaultUri), host.Services.GetRequiredService<SecretClient>().VaultUri);
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task A_pin_that_is_not_a_SHA_256_is_refused_at_start_up()
    {
        using var host = Host(new() { ["KeyVault:VaultUri"] = "https://127.0.0.1:8443/", ["KeyVault:LoopbackCertificateSha256"] = "abc123" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        Assert.Equal(["KeyVault:LoopbackCertificateSha256 must be the 64 hex digits of a certificate's SHA-256."], error.Failures);
    }

    [Fact]
    public async Task Without_the_pin_a_production_vault_starts_as_before()
    {
        using var host = Host(new() { ["KeyVault:VaultUri"] = "https://kv-tokenfn-prod.vault.azure.net/" });

        await host.StartAsync(Ct);

        Assert.Equal(new Uri("https://kv-tokenfn-prod.vault.azure.net/"), host.Services.GetRequiredService<SecretClient>().VaultUri);
        await host.StopAsync(Ct);
    }

    private static IHost Host(Dictionary<string, string?> settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddKeyVault(builder.Configuration);
        return builder.Build();
    }

    private static void FastRetries(SecretClientOptions options)
    {
        options.Retry.MaxRetries = 1;
        options.Retry.Delay = TimeSpan.FromMilliseconds(1);
    }

    private static IEnumerable<Exception> Chain(Exception error) =>
        error is AggregateException aggregate
            ? aggregate.InnerExceptions.SelectMany(Chain)
            : error.InnerException is null ? [error] : [error, .. Chain(error.InnerException)];
}
