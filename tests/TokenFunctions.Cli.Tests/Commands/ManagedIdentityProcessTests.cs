using System.Diagnostics;
using TokenFunctions.Cli.Tests.Support;
using TokenFunctions.KeyVaultSandbox;
using VaultSandbox = TokenFunctions.KeyVaultSandbox.KeyVaultSandbox;

namespace TokenFunctions.Cli.Tests.Commands;

/// <summary>
/// The real <c>DefaultAzureCredential</c> → App Service managed-identity endpoint → Key Vault path, in a child process
/// (the CLI composes the engine as the function app does) whose environment carries <c>IDENTITY_ENDPOINT</c> /
/// <c>IDENTITY_HEADER</c>: those variables select Azure.Identity's source for the whole process, so they never touch this
/// one. The prod environment's management credential lives only in the loopback vault; <c>status</c> passes only if the
/// child read it there with a bearer from the identity endpoint, over the pinned certificate.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class ManagedIdentityProcessTests(SandboxFixture sandbox)
{
    private const string ClientId = "6a1f1e55-0c6b-4f0e-9d4e-5b3c2a1f0e9d";

    public static TheoryData<string, string?, string?> Identities => new()
    {
        // As the Bicep deploys it: only a user-assigned identity, named by AZURE_CLIENT_ID (KeyVault:ManagedIdentityClientId unset).
        { "AZURE_CLIENT_ID", ClientId, ClientId },
        { "KeyVault__ManagedIdentityClientId", ClientId, ClientId },
        { "none", null, null },
    };

    [Theory]
    [MemberData(nameof(Identities))]
    public async Task A_process_with_the_App_Service_identity_variables_reads_its_credential_through_DefaultAzureCredential(
        string variable, string? clientId, string? userAssignedOnly)
    {
        await using var vault = await VaultSandbox.StartAsync(new KeyVaultSandboxOptions { UserAssignedClientId = userAssignedOnly }, TestContext.Current.CancellationToken);
        vault.Seed("dt-prod-admin", sandbox.Sandbox.Configuration["Dynatrace:Environments:0:Credential"]!);
        var config = sandbox.WriteConfig($"vault-{variable}.json", new Dictionary<string, string?>
        {
            ["Dynatrace:Environments:0:Credential"] = null,
            ["Dynatrace:Environments:0:CredentialSecretName"] = "dt-prod-admin",
        });
        var environment = new Dictionary<string, string>(vault.EnvironmentVariables());
        if (clientId is not null)
        {
            environment[variable] = clientId;
        }

        var result = await RunCliAsync(environment, "status", "--config", config, "--state-dir", sandbox.NewStateDirectory(), "-o", "json");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var prod = result.Json().GetProperty("targets").EnumerateArray().Single(t => t.GetProperty("target").GetString() == "environment:prod");
        Assert.True(prod.GetProperty("credentialValid").GetBoolean());
        var identity = Assert.Single(vault.Requests, r => r.Operation == KeyVaultOperation.ManagedIdentityToken);
        Assert.Equal((true, 200), (identity.Authenticated, identity.StatusCode));
        Assert.Contains("api-version=2019-08-01", identity.Query, StringComparison.Ordinal);
        Assert.Contains("vault.azure.net", Uri.UnescapeDataString(identity.Query), StringComparison.Ordinal);
        Assert.Equal(clientId is not null, identity.Query.Contains($"client_id={clientId}", StringComparison.Ordinal));
        Assert.Contains(vault.Requests, r => r is { Operation: KeyVaultOperation.GetSecret, SecretName: "dt-prod-admin", Authenticated: true, StatusCode: 200 });
        CliRunner.AssertNoSecret(result.Out + result.Error, sandbox.Secrets);
        Assert.DoesNotContain(vault.IdentityHeader, result.Out + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_pin_the_process_refuses_the_loopback_vault_and_status_says_the_credential_is_unavailable()
    {
        await using var vault = await VaultSandbox.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        vault.Seed("dt-prod-admin", sandbox.Sandbox.Configuration["Dynatrace:Environments:0:Credential"]!);
        var config = sandbox.WriteConfig("vault-unpinned.json", new Dictionary<string, string?>
        {
            ["Dynatrace:Environments:0:Credential"] = null,
            ["Dynatrace:Environments:0:CredentialSecretName"] = "dt-prod-admin",
        });
        var environment = new Dictionary<string, string>(vault.EnvironmentVariables());
        environment.Remove("KeyVault__LoopbackCertificateSha256");

        var result = await RunCliAsync(environment, "status", "--config", config, "--state-dir", sandbox.NewStateDirectory(), "-o", "json");

        Assert.True(result.ExitCode == ExitCodes.Authentication, result.ToString());
        var prod = result.Json().GetProperty("targets").EnumerateArray().Single(t => t.GetProperty("target").GetString() == "environment:prod");
        Assert.False(prod.GetProperty("credentialValid").GetBoolean());
        Assert.Equal(0, vault.RequestCount);
    }

    /// <summary>
    /// The built CLI (copied next to this test assembly) as its own process. The child's environment is this one's
    /// without any Azure identity variable, plus <paramref name="environment"/>.
    /// </summary>
    private static async Task<CliResult> RunCliAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "TokenFunctions.Cli.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in start.Environment.Keys.Where(IsIdentityVariable).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return new CliResult(process.ExitCode, await output, await error);
    }

    private static bool IsIdentityVariable(string name) =>
        name.StartsWith("AZURE_", StringComparison.OrdinalIgnoreCase) || name.StartsWith("MSI_", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("IDENTITY_", StringComparison.OrdinalIgnoreCase) || name.StartsWith("IMDS_", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("KeyVault__", StringComparison.OrdinalIgnoreCase);
}
