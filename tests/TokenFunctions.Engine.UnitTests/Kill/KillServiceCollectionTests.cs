using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Dynatrace.Targets;
using TokenFunctions.Engine.Kill;

namespace TokenFunctions.Engine.UnitTests.Kill;

public sealed class KillServiceCollectionTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IDynatraceDirectory>(new FakeDirectory([], []));
        services.AddSingleton<IAuditSink>(new RecordingAuditSink());
        services.AddKill(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    [Fact]
    public void Binds_the_KillSwitch_section_and_resolves_the_engine()
    {
        using var services = Build(new()
        {
            ["KillSwitch:DryRun"] = "true",
            ["KillSwitch:DryRunSources:0"] = "gitlab",
            ["KillSwitch:DryRunSources:1"] = "generic",
            ["KillSwitch:ProtectedTokenIds:0"] = "dt0c01.ST2EY72KQINMH574WMNVI7YN",
            ["KillSwitch:MaxConcurrencyPerEnvironment"] = "4",
            ["KillSwitch:InventoryThreshold"] = "0",
            ["KillSwitch:ProtectOwnCredentials"] = "false",
        });

        var options = services.GetRequiredService<IOptions<KillOptions>>().Value;
        Assert.True(options.DryRun);
        Assert.Equal(["gitlab", "generic"], options.DryRunSources);
        Assert.Equal(["dt0c01.ST2EY72KQINMH574WMNVI7YN"], options.ProtectedTokenIds);
        Assert.Equal(4, options.MaxConcurrencyPerEnvironment);
        Assert.Equal(0, options.InventoryThreshold);
        Assert.False(options.ProtectOwnCredentials);
        Assert.IsType<KillService>(services.GetRequiredService<IKillService>());
        Assert.Same(TimeProvider.System, services.GetRequiredService<TimeProvider>());
        Assert.NotNull(services.GetRequiredService<ILogger<KillService>>());
    }

    [Fact]
    public void The_engine_parts_are_registered_singletons_one_set_of_gates_per_process()
    {
        using var services = Build(new() { ["KillSwitch:MaxConcurrencyPerEnvironment"] = "3", ["KillSwitch:MaxRequestsPerSecondPerEnvironment"] = "0" });

        Assert.Same(services.GetRequiredService<ConcurrencyGates>(), services.GetRequiredService<ConcurrencyGates>());
        Assert.Same(services.GetRequiredService<TargetSearch>(), services.GetRequiredService<TargetSearch>());
        Assert.Same(services.GetRequiredService<KillAudit>(), services.GetRequiredService<KillAudit>());
        Assert.Same(services.GetRequiredService<ProtectedTokens>(), services.GetRequiredService<ProtectedTokens>());

        // The gates read the bound from the options: three callers hold an environment's slots, a fourth waits.
        var gate = services.GetRequiredService<ConcurrencyGates>().For(new EnvironmentTarget(new FakeEnvironmentClient("prod")));
        for (var i = 0; i < 3; i++)
        {
            Assert.True(gate.EnterAsync(CancellationToken.None).IsCompletedSuccessfully);
        }

        Assert.False(gate.EnterAsync(CancellationToken.None).IsCompleted);
    }

    [Fact]
    public void Rejects_a_concurrency_bound_below_one()
    {
        using var services = Build(new() { ["KillSwitch:MaxConcurrencyPerEnvironment"] = "0" });
        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<KillOptions>>().Value);
        Assert.Contains("MaxConcurrencyPerEnvironment", error.Message, StringComparison.Ordinal);
    }
}
