using Azure.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.IntegrationTests.Dynatrace;
using TokenFunctions.Engine.IntegrationTests.Rotation;
using TokenFunctions.Engine.KeyVault;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Rotation;
using TokenFunctions.Engine.Rotation.Jobs;
using TokenFunctions.Engine.Tokens;
using TokenFunctions.Engine.UnitTests.Rotation.Support;
using TokenFunctions.KeyVaultSandbox;
using static TokenFunctions.Engine.IntegrationTests.KeyVault.VaultClients;
using Sandbox = TokenFunctions.DynatraceSandbox.DynatraceSandbox;
using VaultSandbox = TokenFunctions.KeyVaultSandbox.KeyVaultSandbox;

namespace TokenFunctions.Engine.IntegrationTests.KeyVault;

/// <summary>
/// One full rotation as the app composes it (AddDynatrace + AddRotation + AddKill, state in Azurite) against the
/// Dynatrace sandbox and the loopback vault, every Key Vault call through the real <c>SecretClient</c>. One clock for
/// the app and both sandboxes.
/// </summary>
public sealed class RotationOverKeyVaultSandboxTests
{
    private const string Secret = "ci-ingest-token";

    [Fact]
    public async Task A_classic_token_is_rotated_into_a_new_version_with_its_tags_and_its_predecessor_retired_after_the_overlap()
    {
        var now = DateTimeOffset.UtcNow;
        var time = new FakeTimeProvider(new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero));
        await using var dynatrace = await Sandbox.StartAsync(new SandboxOptions { TimeProvider = time }, Ct);
        await using var vault = await VaultSandbox.StartAsync(new KeyVaultSandboxOptions { TimeProvider = time, PageSize = 1 }, Ct);
        var environment = dynatrace.AddEnvironment("env1");
        var primary = environment.AddManagementToken("tokenfunctions primary", "svc-tokenfunctions@example.com");
        var secondary = environment.AddManagementToken("tokenfunctions secondary", "svc-tokenfunctions@example.com");
        vault.Seed("dt-prod-primary", primary.Secret, RotationSandboxScenario.Tags(primary, "classic", "prod", "90d", "1d"));
        vault.Seed("dt-prod-secondary", secondary.Secret, RotationSandboxScenario.Tags(secondary, "classic", "prod", "90d", "1d"));
        var old = environment.AddToken(new SandboxApiTokenSeed { Name = "ci pipeline", Owner = "alice@example.com", Scopes = ["metrics.ingest", "logs.ingest"] });
        var enrolled = vault.Seed(Secret, old.Secret, RotationSandboxScenario.Tags(old, "classic", "prod", "90d", "2d"));
        var logs = new LogCapture();
        await using var services = await ComposeAsync(dynatrace, vault, time, logs);

        var result = await services.GetRequiredService<IRotationService>().RotateAsync(
            new RotationRequest { SecretName = Secret, Trigger = RotationTrigger.Scheduled, CorrelationId = "it", Source = "integration-test" }, Ct);

        Assert.Equal(RotationOutcome.Rotated, result.Outcome);
        var versions = vault.Versions(Secret);
        Assert.Equal([enrolled.Version, versions[1].Version], versions.Select(v => v.Version));
        var latest = versions[1];
        var created = TokenSecret.Parse(latest.Value);
        var token = environment.GetToken(created.Id.Value)!;
        Assert.True(token.Enabled);
        Assert.Equal($"{Secret} [tf:tokenfunctions:{result.RotationId}]", token.Name);
        Assert.Equal(created.Id.Value, latest.Tags[ManagedCredentialTags.TokenId]);
        Assert.Equal(TokenFingerprint.Of(latest.Value), latest.Tags[ManagedCredentialTags.Fingerprint]);
        Assert.Equal(result.RotationId, latest.Tags[ManagedCredentialTags.RotationId]);
        Assert.Equal(old.Id, latest.Tags[ManagedCredentialTags.PreviousTokenId]);
        Assert.Equal(TokenFingerprint.Of(old.Secret), latest.Tags[ManagedCredentialTags.PreviousFingerprint]);
        Assert.Equal(("classic", "prod", "90d", "2d"), (latest.Tags[ManagedCredentialTags.Kind], latest.Tags[ManagedCredentialTags.Target],
            latest.Tags[ManagedCredentialTags.RotationPeriod], latest.Tags[ManagedCredentialTags.Overlap]));
        Assert.Equal("team-observability", latest.Tags[ManagedCredentialTags.Notify]);
        Assert.NotEqual("pending", latest.Tags.GetValueOrDefault(ManagedCredentialTags.Stage));
        Assert.Equal(ManagedCredentialTags.ContentType, latest.ContentType);
        Assert.Equal(token.ExpirationDate, latest.ExpiresOn);
        Assert.True(latest.Enabled);
        Assert.True(environment.GetToken(old.Id)!.Enabled);

        // Written once (after the challenge), then marked current by a PATCH of that version: the real wire, both authenticated.
        Assert.Single(vault.Requests, r => r is { Operation: KeyVaultOperation.SetSecret, Authenticated: true, StatusCode: 200 } && r.SecretName == Secret);
        Assert.Contains(vault.Requests, r => r is { Operation: KeyVaultOperation.UpdateSecretProperties, Authenticated: true, StatusCode: 200 }
            && r.SecretName == Secret && r.Version == latest.Version);

        // A token of a rotation that never reached Key Vault (a crash between create and store): reconciliation reads every
        // version of the secret (paged: one version per page) and, finding none that holds it, kills it.
        var orphan = environment.AddToken(new SandboxApiTokenSeed { Name = $"{Secret} [tf:tokenfunctions:{new string('a', 32)}]", Scopes = ["metrics.ingest"] });
        time.Advance(TimeSpan.FromDays(2));
        await RunTimersAsync(services);
        Assert.False(environment.GetToken(old.Id)!.Enabled);
        Assert.True(environment.GetToken(created.Id.Value)!.Enabled);
        Assert.True(environment.GetToken(orphan.Id) is null or { Enabled: false }, "the orphan still works");
        Assert.Equal(2, vault.Requests.Count(r => r is { Operation: KeyVaultOperation.ListSecretVersions, StatusCode: 200 } && r.SecretName == Secret));

        time.Advance(TimeSpan.FromDays(7));
        await RunTimersAsync(services);
        Assert.Null(environment.GetToken(old.Id));
        Assert.Equal(2, vault.Versions(Secret).Count);
        Assert.Equal(latest.Version, vault.Latest(Secret)!.Version);
        foreach (var secret in new[] { old.Secret, latest.Value, primary.Secret, secondary.Secret })
        {
            Assert.DoesNotContain(secret, logs.All, StringComparison.Ordinal);
        }
    }

    private static async Task RunTimersAsync(IServiceProvider services)
    {
        await services.GetRequiredService<ReconciliationJob>().RunAsync(Ct);
        await services.GetRequiredService<ScheduledRotationJob>().RunAsync(Ct);
        await services.GetRequiredService<SweepJob>().RunAsync(Ct);
    }

    private static async Task<ServiceProvider> ComposeAsync(Sandbox dynatrace, VaultSandbox vault, TimeProvider time, LogCapture logs)
    {
        await AzuriteRotationTables.NewTableAsync(Ct); // fail fast, with the clear message, when Azurite is down
        var config = new DynatraceConfig()
            .Environment("prod", dynatrace.EnvironmentBaseUrl("env1"), "dt-prod-primary", "dt-prod-secondary", keyVault: true)
            .Set("Rotation:State:ConnectionString", AzuriteRotationTables.ConnectionString)
            .Set("Rotation:State:TableName", AzuriteRotationTables.NewTableName())
            .Set("KillSwitch:MaxRequestsPerSecondPerAccount", "0")
            .Set("KillSwitch:MaxRequestsPerSecondPerEnvironment", "0");
        foreach (var (key, value) in vault.ConfigurationSettings())
        {
            config.Set(key, value);
        }

        var configuration = config.Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddSingleton(time);
        services.AddSingleton<TokenCredential>(vault.Credential);
        services.AddSingleton<IAuditSink>(new RecordingAuditSink());
        services.AddDynatrace(configuration);
        services.AddRotation(configuration);
        services.AddKill(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
