using Azure.Core;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Secrets;
using TokenFunctions.Engine.Telemetry;

namespace TokenFunctions.Engine.Incidents;

public static class IncidentsServiceCollectionExtensions
{
    /// <summary>
    /// The incident queue: parser, serializer, processor, ledger and progress store (Azure Table Storage, or memory for
    /// local runs), the Service Bus-shaped <see cref="IIncidentQueue"/>, and a rotation handler that answers "unavailable"
    /// until the rotation capability registers its own. Needs <c>IKillSwitch</c> and <c>IDynatraceDirectory</c> from their
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

    private static bool InMemory(IServiceProvider sp) => sp.GetRequiredService<IOptions<IncidentsOptions>>().Value.Storage.InMemory;
}
