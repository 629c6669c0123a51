using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.KillSwitch;
using TokenFunctions.Engine.Notifications;
using TokenFunctions.Engine.Rotation;
using TokenFunctions.Engine.Sources;
using TokenFunctions.Engine.Telemetry;

namespace TokenFunctions.Engine;

public static class TokenFunctionsEngineServiceCollectionExtensions
{
    /// <summary>Every engine capability, each wired by its own extension method, in the order data flows.</summary>
    public static IServiceCollection AddTokenFunctionsEngine(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services
            .AddTokenFunctionsTelemetry()
            .AddDynatrace(configuration)
            .AddKillSwitch(configuration)
            .AddLeakSources(configuration)
            .AddIncidents(configuration)
            .AddRotation(configuration)
            .AddAudit(configuration)
            .AddNotifications(configuration);

        // The kill-switch as callers see it: the engine, then one notification per incident.
        services.AddSingleton<KillSwitchEngine>();
        services.AddSingleton<IKillSwitch, NotifyingKillSwitch>();

        // Queued "rotate" messages go to the rotation capability instead of the dead-letter placeholder.
        services.AddSingleton<IRotationRequestHandler, QueuedRotationRequestHandler>();
        return services;
    }
}
