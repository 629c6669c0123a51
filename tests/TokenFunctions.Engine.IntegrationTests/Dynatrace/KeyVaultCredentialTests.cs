using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Dynatrace.Credentials;
using TokenFunctions.Engine.Tokens;
using Sandbox = TokenFunctions.DynatraceSandbox.DynatraceSandbox;

namespace TokenFunctions.Engine.IntegrationTests.Dynatrace;

/// <summary>Credentials from Key Vault (SecretClient mocked: Key Vault cannot run here) against the sandbox.</summary>
public sealed class KeyVaultCredentialTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_credential_is_read_once_and_a_rotated_one_is_picked_up_on_the_first_401()
    {
        await using var sandbox = await Sandbox.StartAsync(cancellationToken: Ct);
        var environment = sandbox.AddEnvironment("env1");
        var old = environment.AddManagementToken("old");
        var rotated = environment.AddManagementToken("rotated");
        var target = environment.AddToken();
        var vault = new Mock<SecretClient>(MockBehavior.Strict);
        var current = old.Secret;
        vault.Setup(v => v.GetSecretAsync("dt-env1", null, It.IsAny<SecretContentType?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => Response.FromValue(SecretModelFactory.KeyVaultSecret(new SecretProperties("dt-env1"), current), Mock.Of<Response>()));
        var config = new DynatraceConfig()
            .Environment("prod", sandbox.EnvironmentBaseUrl("env1"), "dt-env1", keyVault: true)
            .Set("KeyVault:VaultUri", "https://unit-test.vault.azure.net/");
        await using var services = config.Services(new LogCapture(), configure: s => s.AddSingleton(vault.Object));
        Assert.IsType<KeyVaultCredentialProvider>(services.GetRequiredService<ICredentialProvider>());
        var client = services.GetRequiredServiceDirectory().Environments[0];

        for (var i = 0; i < 3; i++)
        {
            Assert.True((await client.GetAsync(TokenId.Parse(target.Id), Ct)).IsOk);
        }

        vault.Verify(v => v.GetSecretAsync("dt-env1", null, It.IsAny<SecretContentType?>(), It.IsAny<CancellationToken>()), Times.Once());

        // The rotation job replaced the credential in Key Vault and disabled the old token.
        current = rotated.Secret;
        environment.SetEnabled(old.Id, false);
        var result = await client.SetEnabledAsync(TokenId.Parse(target.Id), enabled: false, Ct);

        Assert.True(result.IsOk, result.Error?.ToString());
        vault.Verify(v => v.GetSecretAsync("dt-env1", null, It.IsAny<SecretContentType?>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
        Assert.Equal(
            [(401, (string?)null), (204, rotated.Id)],
            sandbox.Requests.Where(r => r.Endpoint == SandboxEndpoint.ApiTokensUpdate).Select(r => (r.StatusCode, r.CallerId)));
    }

    [Fact]
    public async Task A_missing_secret_is_Unauthorized_and_an_unreachable_vault_Transient_without_calling_Dynatrace()
    {
        await using var sandbox = await Sandbox.StartAsync(cancellationToken: Ct);
        var environment = sandbox.AddEnvironment("env1");
        var target = environment.AddToken();
        var vault = new Mock<SecretClient>(MockBehavior.Strict);
        vault.Setup(v => v.GetSecretAsync("missing", null, It.IsAny<SecretContentType?>(), It.IsAny<CancellationToken>())).ThrowsAsync(new RequestFailedException(404, "SecretNotFound"));
        vault.Setup(v => v.GetSecretAsync("flaky", null, It.IsAny<SecretContentType?>(), It.IsAny<CancellationToken>())).ThrowsAsync(new RequestFailedException(503, "Unavailable"));
        var config = new DynatraceConfig()
            .Environment("a", sandbox.EnvironmentBaseUrl("env1"), "missing", keyVault: true)
            .Environment("b", sandbox.EnvironmentBaseUrl("env1"), "flaky", keyVault: true)
            .Set("KeyVault:VaultUri", "https://unit-test.vault.azure.net/");
        await using var services = config.Services(new LogCapture(), configure: s => s.AddSingleton(vault.Object));
        var directory = services.GetRequiredServiceDirectory();

        var missing = await directory.Environments[0].SetEnabledAsync(TokenId.Parse(target.Id), enabled: false, Ct);
        var flaky = await directory.Environments[1].SetEnabledAsync(TokenId.Parse(target.Id), enabled: false, Ct);

        Assert.Equal(DynatraceStatus.Unauthorized, missing.Status);
        Assert.Contains("keyvault:missing", missing.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(DynatraceStatus.Transient, flaky.Status);
        Assert.Equal(0, environment.TotalCalls);
    }
}
