using Azure;
using Azure.Core;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Dynatrace.Credentials;
using TokenFunctions.Engine.IntegrationTests.Dynatrace;
using TokenFunctions.Engine.IntegrationTests.Rotation;
using TokenFunctions.Engine.KeyVault;
using TokenFunctions.Engine.Rotation;
using TokenFunctions.Engine.Tokens;
using TokenFunctions.Engine.UnitTests.Rotation.Support;
using TokenFunctions.KeyVaultSandbox;
using static TokenFunctions.Engine.IntegrationTests.KeyVault.VaultClients;
using Sandbox = TokenFunctions.DynatraceSandbox.DynatraceSandbox;
using VaultSandbox = TokenFunctions.KeyVaultSandbox.KeyVaultSandbox;

namespace TokenFunctions.Engine.IntegrationTests.KeyVault;

/// <summary>
/// The engine's Key Vault users as the app composes them (AddDynatrace + AddRotation, the SecretClient from AddKeyVault
/// with the sandbox's settings and its credential from DI) against the loopback vault and the Dynatrace sandbox.
/// </summary>
public sealed class EngineOverKeyVaultSandboxTests
{
    [Fact]
    public async Task The_credential_provider_reads_the_management_credential_from_the_vault_once_for_a_burst()
    {
        await using var dynatrace = await Sandbox.StartAsync(cancellationToken: Ct);
        await using var vault = await VaultSandbox.StartAsync(cancellationToken: Ct);
        var environment = dynatrace.AddEnvironment("env1");
        var admin = environment.AddManagementToken();
        var targets = Enumerable.Range(0, 3).Select(_ => environment.AddToken()).ToList();
        vault.Seed("dt-env1-admin", admin.Secret);
        var logs = new LogCapture();
        await using var services = Compose(dynatrace, vault, logs);
        var client = services.GetRequiredServiceDirectory().Environments[0];

        var results = await Task.WhenAll(targets.Select(t => client.GetAsync(TokenId.Parse(t.Id), Ct)));

        Assert.IsType<KeyVaultCredentialProvider>(services.GetRequiredService<ICredentialProvider>());
        Assert.All(results, r => Assert.True(r.IsOk, r.Error?.ToString()));
        Assert.Equal(1, vault.Requests.Count(r => r is { Operation: KeyVaultOperation.GetSecret, Authenticated: true, StatusCode: 200 }));
        Assert.All(dynatrace.Requests, r => Assert.Equal(admin.Id, r.CallerId));
        Assert.DoesNotContain(admin.Secret, logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_vault_is_a_transient_credential_failure_and_Dynatrace_is_not_called()
    {
        await using var dynatrace = await Sandbox.StartAsync(cancellationToken: Ct);
        await using var vault = await VaultSandbox.StartAsync(cancellationToken: Ct);
        var environment = dynatrace.AddEnvironment("env1");
        vault.Seed("dt-env1-admin", environment.AddManagementToken().Secret);
        var target = environment.AddToken();
        vault.Faults.SetPersistent(KeyVaultFault.Reset);
        await using var services = Compose(dynatrace, vault, new LogCapture(), Fast(vault, maxRetries: 2));

        var result = await services.GetRequiredServiceDirectory().Environments[0].SetEnabledAsync(TokenId.Parse(target.Id), enabled: false, Ct);

        Assert.Equal(DynatraceStatus.Transient, result.Status);
        Assert.Contains("could not be reached", result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(3, vault.CallCount(KeyVaultOperation.GetSecret));
        Assert.Equal(0, environment.TotalCalls);
        Assert.True(environment.GetToken(target.Id)!.Enabled);
    }

    [Fact]
    public async Task A_vault_that_does_not_answer_is_a_transient_credential_failure_once_every_attempt_timed_out()
    {
        await using var dynatrace = await Sandbox.StartAsync(cancellationToken: Ct);
        await using var vault = await VaultSandbox.StartAsync(cancellationToken: Ct);
        var environment = dynatrace.AddEnvironment("env1");
        vault.Seed("dt-env1-admin", environment.AddManagementToken().Secret);
        var target = environment.AddToken();
        vault.Faults.SetPersistent(KeyVaultFault.Hang, KeyVaultOperation.GetSecret);
        await using var services = Compose(dynatrace, vault, new LogCapture(), Fast(vault, maxRetries: 1, networkTimeout: TimeSpan.FromMilliseconds(250)));

        var result = await services.GetRequiredServiceDirectory().Environments[0].SetEnabledAsync(TokenId.Parse(target.Id), enabled: false, Ct);

        Assert.Equal(DynatraceStatus.Transient, result.Status);
        Assert.Equal(2, vault.CallCount(KeyVaultOperation.GetSecret));
        Assert.Equal(0, environment.TotalCalls);
    }

    [Fact]
    public async Task A_missing_or_disabled_credential_is_Unauthorized_without_a_Dynatrace_call()
    {
        await using var dynatrace = await Sandbox.StartAsync(cancellationToken: Ct);
        await using var vault = await VaultSandbox.StartAsync(cancellationToken: Ct);
        var environment = dynatrace.AddEnvironment("env1");
        vault.Seed("dt-env1-admin", environment.AddManagementToken().Secret, enabled: false);
        var target = environment.AddToken();
        await using var services = Compose(dynatrace, vault, new LogCapture());
        var client = services.GetRequiredServiceDirectory().Environments[0];

        var disabled = await client.SetEnabledAsync(TokenId.Parse(target.Id), enabled: false, Ct);

        Assert.Equal(DynatraceStatus.Unauthorized, disabled.Status);
        Assert.Contains("HTTP 403", disabled.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(0, environment.TotalCalls);
    }

    [Fact]
    public async Task The_managed_credential_index_reads_every_tagged_secret_across_list_pages_without_reading_a_value()
    {
        await using var dynatrace = await Sandbox.StartAsync(cancellationToken: Ct);
        await using var vault = await VaultSandbox.StartAsync(new KeyVaultSandboxOptions { PageSize = 2 }, Ct);
        var environment = dynatrace.AddEnvironment("env1");
        vault.Seed("dt-env1-admin", environment.AddManagementToken().Secret);
        var managed = new List<SandboxIssuedToken>();
        for (var i = 0; i < 5; i++)
        {
            var token = environment.AddToken();
            managed.Add(token);
            vault.Seed($"ingest-{i}", token.Secret, RotationSandboxScenario.Tags(token, "classic", "prod", "90d", "1d"));
        }

        var broken = environment.AddToken();
        vault.Seed("broken", broken.Secret, new Dictionary<string, string>(RotationSandboxScenario.Tags(broken, "classic", "prod", "90d", "1d")) { ["tf-rotation-period"] = "soon" });
        vault.Seed("unrelated", NewValue(), new Dictionary<string, string> { ["owner"] = "someone" });
        await using var services = Compose(dynatrace, vault, new LogCapture());
        var index = services.GetRequiredService<KeyVaultManagedCredentialIndex>();

        var snapshot = await index.GetSnapshotAsync(refresh: true, Ct);
        var found = await index.FindByTokenIdAsync(TokenId.Parse(managed[4].Id), Ct);

        Assert.Equal(["ingest-0", "ingest-1", "ingest-2", "ingest-3", "ingest-4"], snapshot.Credentials.Select(c => c.SecretName).Order(StringComparer.Ordinal));
        Assert.Equal(managed.Select(t => t.Id), snapshot.Credentials.OrderBy(c => c.SecretName, StringComparer.Ordinal).Select(c => c.TokenId.Value));
        Assert.Equal("broken", Assert.Single(snapshot.Problems).SecretName);
        Assert.Equal("ingest-4", found?.SecretName);
        Assert.Equal(4, vault.Requests.Count(r => r is { Operation: KeyVaultOperation.ListSecrets, Authenticated: true, StatusCode: 200 }));
        Assert.Equal(0, vault.CallCount(KeyVaultOperation.GetSecret));
    }

    /// <summary>
    /// As the app composes it, with the sandbox's configuration and its credential in DI (so AddKeyVault builds the
    /// SecretClient), or with <paramref name="client"/>: the app's own factory with faster retries for fault tests.
    /// </summary>
    private static ServiceProvider Compose(Sandbox dynatrace, VaultSandbox vault, LogCapture logs, SecretClient? client = null)
    {
        var config = new DynatraceConfig().Environment("prod", dynatrace.EnvironmentBaseUrl("env1"), "dt-env1-admin", keyVault: true)
            .Set("Rotation:State:Mode", "InMemory");
        foreach (var (key, value) in vault.ConfigurationSettings())
        {
            config.Set(key, value);
        }

        var configuration = config.Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddSingleton<TokenCredential>(vault.Credential);
        services.AddSingleton<IAuditSink>(new RecordingAuditSink());
        if (client is not null)
        {
            services.AddSingleton(client);
        }

        services.AddDynatrace(configuration);
        services.AddRotation(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
