using Azure.Core;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Incidents.Handlers;
using TokenFunctions.Engine.Incidents.Ledger;
using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Engine.KeyVault;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Telemetry;

namespace TokenFunctions.Engine.Incidents;

public static class IncidentsServiceCollectionExtensions
{
    /// <summary>
    /// The incident queue: parser, serializer, processor, ledger and progress store (Azure Table Storage, or memory for
    /// local runs), the Service Bus-shaped <see cref="IIncidentQueue"/>, and a rotation handler that answers "unavailable"
    /// until the rotation capability registers its own. Needs <c>IKillService</c> and <c>IDynatraceDirectory</c> from their
    /// capabilities, and an <see cref="IIncidentMessageSender"/> from the function app for <see cref="IIncidentQueue"/>.
    /// </summary>
    public static IServiceCollection AddIncidents(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<IncidentsOptions>().Bind(configuration.GetSection(IncidentsOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IncidentsOptions>, IncidentsOptionsValidator>());

        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TokenFunctionsMetrics>();

        services.TryAddSingleton<IncidentMessageParser>();
        services.TryAddSingleton<IncidentMessageSerializer>();
        services.TryAddSingleton<IncidentProcessor>();
        services.TryAddSingleton<IIncidentQueue, ServiceBusIncidentQueue>();
        AddHandlers(services);

        // The rotation capability replaces this by registering its own IRotationRequestHandler (before or after this call).
        services.TryAddSingleton<IRotationRequestHandler, UnavailableRotationRequestHandler>();

        services.TryAddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<IncidentsOptions>>().Value.Storage;
            var client = !string.IsNullOrWhiteSpace(storage.ConnectionString)
                ? new TableServiceClient(storage.ConnectionString)
                : new TableServiceClient(storage.ServiceUri, sp.GetService<TokenCredential>() ?? SecretClientFactory.DefaultCredential(storage.ManagedIdentityClientId));
            return new IncidentTables(client, storage.LedgerTable, storage.ProgressTable);
        });
        services.TryAddSingleton<InMemoryIncidentLedger>();
        services.TryAddSingleton<InMemoryIncidentProgressStore>();
        services.TryAddSingleton<IIncidentLedger>(sp => InMemory(sp)
            ? sp.GetRequiredService<InMemoryIncidentLedger>()
            : new TableIncidentLedger(sp.GetRequiredService<IncidentTables>()));
        services.TryAddSingleton<IIncidentProgressStore>(sp => InMemory(sp)
            ? sp.GetRequiredService<InMemoryIncidentProgressStore>()
            : new TableIncidentProgressStore(sp.GetRequiredService<IncidentTables>()));
        return services;
    }

    /// <summary>
    /// One <see cref="IIncidentHandler"/> per message type, keyed by that type, and the <see cref="IncidentHandlers"/> the
    /// processor picks from. The handlers log under the processor's category, as its own lines do.
    /// </summary>
    private static void AddHandlers(IServiceCollection services)
    {
        services.TryAddSingleton<LeakRotationHandOff>();
        services.TryAddSingleton(static sp => new LeakBatchRunner(sp.GetRequiredService<IKillService>(), HandlerLogger(sp), RotationHandOff(sp)));
        services.TryAddKeyedSingleton<IIncidentHandler>(typeof(DisableMessage), static (sp, _) => new DisableHandler(sp.GetRequiredService<LeakBatchRunner>()));
        services.TryAddKeyedSingleton<IIncidentHandler>(typeof(KillSwitchMessage), static (sp, _) =>
            new KillSwitchHandler(sp.GetRequiredService<IDynatraceDirectory>(), sp.GetRequiredService<LeakBatchRunner>(), HandlerLogger(sp)));
        services.TryAddKeyedSingleton<IIncidentHandler>(typeof(EnableMessage), static (sp, _) => new EnableHandler(sp.GetRequiredService<IKillService>(), HandlerLogger(sp)));
        services.TryAddKeyedSingleton<IIncidentHandler>(typeof(RotateMessage), static (sp, _) => new RotateHandler(sp.GetRequiredService<IRotationRequestHandler>(), HandlerLogger(sp)));
        services.TryAddSingleton(static sp => new IncidentHandlers(
            IncidentHandlers.MessageTypes.ToDictionary(type => type, type => sp.GetRequiredKeyedService<IIncidentHandler>(type))));
    }

    private static ILogger HandlerLogger(IServiceProvider sp) => sp.GetRequiredService<ILogger<IncidentProcessor>>();

    /// <summary>
    /// A disable hands the leak rotation to the registered <see cref="IIncidentQueue"/> only where the queue can send (the
    /// function app registers an <see cref="IIncidentMessageSender"/>; the CLI has none, and rotates inside the kill).
    /// </summary>
    private static LeakRotationHandOff? RotationHandOff(IServiceProvider sp) =>
        sp.GetService<IIncidentMessageSender>() is null ? null : sp.GetRequiredService<LeakRotationHandOff>();

    private static bool InMemory(IServiceProvider sp) => sp.GetRequiredService<IOptions<IncidentsOptions>>().Value.Storage.InMemory;
}
