using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Telemetry;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Kill;

public static class KillServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IKillService"/> and its parts (<see cref="ProtectedTokens"/>, <see cref="KillAudit"/>, the
    /// per-process <see cref="ConcurrencyGates"/>, <see cref="TargetSearch"/>) with options from section <c>KillSwitch</c>. Needs, from other capabilities:
    /// <c>IDynatraceDirectory</c>, <c>IAuditSink</c> and logging; uses <c>ILeakRotation</c>, <c>ICredentialProvider</c> and
    /// <see cref="IEvidenceNotifier"/> when registered (Notifications registers one). The evidence-of-use worker runs as a hosted service.
    /// </summary>
    public static IServiceCollection AddKill(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<KillOptions>()
            .Bind(configuration.GetSection(KillOptions.SectionName))
            .Validate(o => o.MaxConcurrencyPerEnvironment >= 1, "KillSwitch:MaxConcurrencyPerEnvironment must be at least 1.")
            .Validate(o => o.InventoryThreshold >= 0, "KillSwitch:InventoryThreshold must not be negative (0 turns listing off).")
            .Validate(
                o => o.MaxRequestsPerSecondPerEnvironment >= 0 && o.MaxRequestsPerSecondPerAccount >= 0,
                "KillSwitch:MaxRequestsPerSecondPerEnvironment and MaxRequestsPerSecondPerAccount must not be negative (0 turns pacing off).")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<TokenFunctionsMetrics>();
        services.AddAuditWriter();
        services.TryAddSingleton<ProtectedTokens>();
        services.TryAddSingleton<KillAudit>();

        // One set of gates per process: every batch that calls an environment or account shares its bounds and pace.
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptionsMonitor<KillOptions>>();
            return new ConcurrencyGates(
                () => options.CurrentValue.MaxConcurrencyPerEnvironment,
                kind => kind == TokenKind.PlatformToken ? options.CurrentValue.MaxRequestsPerSecondPerAccount : options.CurrentValue.MaxRequestsPerSecondPerEnvironment,
                sp.GetRequiredService<TimeProvider>());
        });

        // Logs under the engine's category, as the search is part of every kill.
        services.TryAddSingleton(sp => new TargetSearch(sp.GetRequiredService<ConcurrencyGates>(), sp.GetRequiredService<ILogger<KillService>>()));
        services.TryAddSingleton<IKillService, KillService>();

        // Evidence of use after a leak, gathered off the kill path (see UsageEvidenceQueue).
        services.TryAddSingleton<UsageEvidenceCollector>();
        services.TryAddSingleton<UsageEvidenceQueue>();
        services.AddHostedService<UsageEvidenceWorker>();
        return services;
    }
}
