using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Handlers;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Notifications;
using TokenFunctions.Engine.Rotation;
using TokenFunctions.Engine.Sources;
using TokenFunctions.Engine.Telemetry;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine;

public static class TokenFunctionsEngineServiceCollectionExtensions
{
    /// <summary>
    /// Every engine capability, each wired by its own extension method, in the order data flows. Every credential in the
    /// configuration is registered for redaction first (<see cref="KnownSecrets.RegisterFromConfiguration"/>), and no
    /// HTTP client's header logging carries a header value (<c>Authorization</c> above all).
    /// </summary>
    public static IServiceCollection AddTokenFunctionsEngine(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        KnownSecrets.RegisterFromConfiguration(configuration);
        services.ConfigureHttpClientDefaults(static client => client.RedactLoggedHeaders(static _ => true));
        services
            .AddTokenFunctionsTelemetry()
            .AddDynatrace(configuration)
            .AddKill(configuration)
            .AddLeakSources(configuration)
            .AddIncidents(configuration)
            .AddRotation(configuration)
            .AddAudit(configuration)
            .AddNotifications(configuration);

        // The kill as callers see it: the kill service, then one notification per incident.
        services.AddSingleton<KillService>();
        services.AddSingleton<IKillService, NotifyingKillService>();

        // Queued "rotate" messages go to the rotation capability instead of the dead-letter placeholder.
        services.AddSingleton<IRotationRequestHandler, QueuedRotationRequestHandler>();
        return services;
    }
}
