using Azure.Core;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using TokenFunctions.Engine;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Telemetry;
using TokenFunctions.Engine.Tokens;
using TokenFunctions.Incidents;

namespace TokenFunctions.Hosting;

/// <summary>The function app's composition root: the engine, the Service Bus sender and telemetry.</summary>
public static class TokenFunctionsHostingExtensions
{
    public static FunctionsApplicationBuilder AddTokenFunctions(this FunctionsApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ConfigureFunctionsWebApplication();

        var configuration = builder.Configuration;
        builder.Services.AddTokenFunctionsEngine(configuration);
        builder.Services.AddIncidentQueueSender(configuration);
        builder.AddTelemetry();

        // Last, so every provider registered above (the worker's, OpenTelemetry's) sits behind the redaction decorator.
        builder.Logging.AddTokenRedaction();
        return builder;
    }

    /// <summary>
    /// <c>ServiceBusConnection__fullyQualifiedNamespace</c> (+ <c>__clientId</c>) in Azure, the same identity-based
    /// setting the trigger uses; a plain <c>ServiceBusConnection</c> connection string for the local emulator.
    /// </summary>
    private static IServiceCollection AddIncidentQueueSender(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(_ =>
        {
            var section = configuration.GetSection("ServiceBusConnection");
            if (section["fullyQualifiedNamespace"] is { Length: > 0 } fullyQualifiedNamespace)
            {
                return new ServiceBusClient(fullyQualifiedNamespace, CredentialFor(section["clientId"]));
            }

            return new ServiceBusClient(configuration["ServiceBusConnection"]
                ?? throw new InvalidOperationException("ServiceBusConnection is not configured (fullyQualifiedNamespace or a connection string)."));
        });
        services.AddSingleton(sp => sp.GetRequiredService<ServiceBusClient>().CreateSender(
            configuration["IncidentQueueName"] ?? throw new InvalidOperationException("IncidentQueueName is not configured.")));
        services.AddSingleton<IIncidentMessageSender, ServiceBusIncidentMessageSender>();
        return services;
    }

    /// <summary>
    /// OpenTelemetry through the worker's defaults and the Azure Monitor exporter (not Application Insights 3.x, whose
    /// WorkerService package breaks the Functions integration). Only when a connection string is configured, so local runs need none.
    /// </summary>
    private static void AddTelemetry(this FunctionsApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
        {
            return;
        }

        var clientId = builder.Configuration["AZURE_CLIENT_ID"];
        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics.AddMeter(TokenFunctionsMetrics.MeterName))
            .UseFunctionsWorkerDefaults()
            .UseAzureMonitorExporter(options =>
            {
                if (!string.IsNullOrEmpty(clientId))
                {
                    options.Credential = CredentialFor(clientId);
                }
            });
    }

    private static TokenCredential CredentialFor(string? clientId) => string.IsNullOrEmpty(clientId)
        ? new DefaultAzureCredential()
        : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
}
