using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moq;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.KeyVault;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Rotation;
using TokenFunctions.Engine.Rotation.Jobs;
using TokenFunctions.Engine.Tokens;
using TokenFunctions.Engine.UnitTests.Rotation.Support;

namespace TokenFunctions.Engine.UnitTests.Rotation;

public sealed class RotationServiceCollectionExtensionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var h = new RotationHarness();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHttpClient();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(Mock.Of<ICredentialProvider>());
        services.AddOptions<DynatraceOptions>();
        services.AddSingleton<IDynatraceDirectory>(h.Directory);
        services.AddSingleton<IAuditSink>(h.Audit);
        services.AddSingleton(h.Vault.Client);
        configure?.Invoke(services);
        services.AddRotation(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static Dictionary<string, string?> InMemory() => new() { ["Rotation:State:Mode"] = "InMemory" };

    [Fact]
    public void Registers_the_jobs_the_index_and_the_leak_rotation_with_documented_defaults()
    {
        using var sp = Build(InMemory());

        Assert.NotNull(sp.GetRequiredService<ScheduledRotationJob>());
        Assert.NotNull(sp.GetRequiredService<SweepJob>());
        Assert.NotNull(sp.GetRequiredService<ReconciliationJob>());
        Assert.NotNull(sp.GetRequiredService<HygieneReportJob>());
        Assert.IsType<LeakRotation>(sp.GetRequiredService<ILeakRotation>());
        Assert.Same(sp.GetRequiredService<IManagedCredentialIndex>(), sp.GetRequiredService<IManagedCredentialCatalog>());
        Assert.Same(sp.GetRequiredService<CredentialRotator>(), sp.GetRequiredService<IRotationService>());
        Assert.IsType<InMemoryRotationStateStore>(sp.GetRequiredService<IRotationStateStore>());
        var options = sp.GetRequiredService<IOptions<RotationOptions>>().Value;
        Assert.Equal("0 0 3 * * *", options.Schedule);
        Assert.Equal("0 30 * * * *", options.SweepSchedule);
        Assert.Equal("0 15 * * * *", options.ReconciliationSchedule);
        Assert.Equal("0 0 6 * * 1", options.HygieneSchedule);
        Assert.Equal(TimeSpan.FromDays(7), options.DeleteGracePeriod);
        Assert.False(options.Hygiene.AutoDisableUnused);
    }

    [Fact]
    public void Token_targets_act_for_the_primary_through_the_registered_client_factory()
    {
        var factory = new FakeClientFactory(new FakeDynatrace(TimeProvider.System));
        using var sp = Build(InMemory(), services => services.AddSingleton<IDynatraceClientFactory>(factory));

        var choice = sp.GetRequiredService<TokenTargets>().Resolve(RotationHarness.Environment, TokenKind.ClassicApiToken, RotationHarness.PrimarySecret);

        Assert.Null(choice.Refusal);
        Assert.True(choice.SelfRotation);
        var swapped = Assert.Single(factory.Created);
        Assert.Equal(RotationHarness.SecondarySecret, swapped.Credential.KeyVaultSecretName);
        Assert.Equal(RotationHarness.PrimarySecret, swapped.SecondaryCredential?.KeyVaultSecretName);
    }

    [Fact]
    public void Without_a_client_factory_of_the_host_the_real_one_is_registered()
    {
        using var sp = Build(InMemory());

        Assert.IsType<DynatraceClientFactory>(sp.GetRequiredService<IDynatraceClientFactory>());
    }

    [Fact]
    public void Replaces_a_placeholder_leak_rotation_registered_earlier()
    {
        using var sp = Build(InMemory(), s => s.AddSingleton<ILeakRotation, FakeLeakRotation>());

        Assert.IsType<LeakRotation>(sp.GetRequiredService<ILeakRotation>());
    }

    [Fact]
    public void Binds_every_setting()
    {
        var settings = InMemory();
        settings["Rotation:InstanceName"] = "prod-eu";
        settings["Rotation:Schedule"] = "0 30 2 * * *";
        settings["Rotation:DeleteGracePeriod"] = "3.00:00:00";
        settings["Rotation:Hygiene:AutoDisableUnused"] = "true";
        settings["Rotation:Hygiene:AutoDisableUnusedDays"] = "365";
        settings["KeyVault:IndexCacheDuration"] = "00:01:00";
        using var sp = Build(settings);

        var options = sp.GetRequiredService<IOptions<RotationOptions>>().Value;
        Assert.Equal("prod-eu", options.InstanceName);
        Assert.Equal("0 30 2 * * *", options.Schedule);
        Assert.Equal(TimeSpan.FromDays(3), options.DeleteGracePeriod);
        Assert.True(options.Hygiene.AutoDisableUnused);
        Assert.Equal(365, options.Hygiene.AutoDisableUnusedDays);
        Assert.Equal(TimeSpan.FromMinutes(1), sp.GetRequiredService<IOptions<KeyVaultOptions>>().Value.IndexCacheDuration);
    }

    [Fact]
    public void The_timer_trigger_settings_are_the_schedules_the_engine_validates()
    {
        var settings = InMemory();
        settings["Rotation:Schedule"] = "0 0 1 * * *";
        settings["RotationSchedule"] = "0 0 4 * * *";
        settings["HygieneSchedule"] = "0 0 7 * * 2";
        using var sp = Build(settings);

        var options = sp.GetRequiredService<IOptions<RotationOptions>>().Value;
        Assert.Equal("0 0 4 * * *", options.Schedule);
        Assert.Equal("0 0 7 * * 2", options.HygieneSchedule);
        Assert.Equal("0 30 * * * *", options.SweepSchedule);
    }

    [Theory]
    [InlineData("Rotation:Schedule", "0 3 * * *", "six-field NCRONTAB")]
    [InlineData("Rotation:SweepSchedule", "every hour", "six-field NCRONTAB")]
    [InlineData("Rotation:InstanceName", "Prod EU", "InstanceName")]
    [InlineData("Rotation:LeaseDuration", "00:00:10", "LeaseDuration")]
    [InlineData("Rotation:MaxVerifyAttempts", "0", "MaxVerifyAttempts")]
    [InlineData("Rotation:Hygiene:AutoDisableUnusedDays", "30", "AutoDisableUnusedDays")]
    [InlineData("SweepSchedule", "*/5 * * * *", "six-field NCRONTAB")]
    public void Rejects_bad_settings_with_a_message_naming_the_key(string key, string value, string expected)
    {
        var settings = InMemory();
        settings[key] = value;
        using var sp = Build(settings);

        var error = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<RotationOptions>>().Value);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_any_storage_setting_the_state_store_explains_what_to_set()
    {
        using var sp = Build([]);

        var error = Assert.Throws<InvalidOperationException>(() => sp.GetRequiredService<IRotationStateStore>());
        Assert.Contains("Rotation:State:ConnectionString", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Uses_Table_Storage_from_a_connection_string()
    {
        using var sp = Build(new Dictionary<string, string?> { ["Rotation:State:ConnectionString"] = "UseDevelopmentStorage=true" });

        Assert.IsType<TableRotationStateStore>(sp.GetRequiredService<IRotationStateStore>());
    }

    [Fact]
    public void Without_a_vault_uri_the_secret_client_explains_what_to_set()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(InMemory()).Build();
        var services = new ServiceCollection().AddLogging().AddRotation(configuration);
        using var sp = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => sp.GetRequiredService<SecretClient>());
        Assert.Contains("KeyVault:VaultUri", error.Message, StringComparison.Ordinal);
    }
}
