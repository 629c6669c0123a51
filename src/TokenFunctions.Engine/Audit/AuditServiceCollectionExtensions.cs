using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Telemetry;

namespace TokenFunctions.Engine.Audit;

public static class AuditServiceCollectionExtensions
{
    /// <summary>
    /// The audit trail: the Table store as <see cref="IAuditSink"/> and <see cref="IAuditQuery"/>, the one write path over it
    /// (<see cref="AuditWriter"/>, never throws), <see cref="AuditQueryEndpoint"/> and the background
    /// <see cref="AuditRetryService"/> that drains what the writer kept into whichever store is registered (the CLI
    /// replaces the store with its file, and keeps everything else). Settings come from section
    /// <c>Audit</c>; in Azure, <c>Audit:TableServiceUri</c> with the app's identity (a <see cref="TokenCredential"/>
    /// registered in DI, else <see cref="DefaultAzureCredential"/>), locally <c>Audit:ConnectionString</c>.
    /// </summary>
    public static IServiceCollection AddAudit(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddTokenFunctionsTelemetry();
        services.AddLogging();
        services.AddOptions<AuditOptions>()
            .Bind(configuration.GetSection(AuditOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuditOptions>, AuditOptionsValidator>());

        services.AddSingleton(sp => CreateTableServiceClient(sp.GetRequiredService<IOptions<AuditOptions>>().Value, sp.GetService<TokenCredential>()));
        services.AddSingleton(sp => new AuditTableStore(
            sp.GetRequiredService<TableServiceClient>(),
            sp.GetRequiredService<IOptions<AuditOptions>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IAuditQuery>(sp => sp.GetRequiredService<AuditTableStore>());
        services.AddSingleton<IAuditSink>(sp => sp.GetRequiredService<AuditTableStore>());
        services.AddAuditWriter();
        services.AddHostedService(sp => new AuditRetryService(
            sp.GetRequiredService<IAuditSink>(),
            sp.GetRequiredService<AuditRetryBuffer>(),
            sp.GetRequiredService<TokenFunctionsMetrics>(),
            sp.GetRequiredService<ILogger<AuditRetryService>>(),
            sp.GetRequiredService<IOptions<AuditOptions>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<AuditQueryEndpoint>();
        return services;
    }

    internal static TableServiceClient CreateTableServiceClient(AuditOptions options, TokenCredential? credential)
    {
        var problems = options.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(AuditOptions.SectionName, typeof(AuditOptions), problems);
        }

        var clientOptions = new TableClientOptions();

        // Bounded: the resilient sink gives up after WriteTimeout anyway, and the retry service has its own backoff.
        clientOptions.Retry.MaxRetries = 2;
        clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        return string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new TableServiceClient(options.TableServiceUri!, credential ?? new DefaultAzureCredential(), clientOptions)
            : new TableServiceClient(options.ConnectionString, clientOptions);
    }

    /// <summary>
    /// <see cref="AuditWriter"/> over whichever <see cref="IAuditSink"/> is registered, with its retry buffer: every
    /// capability that audits calls this, so each gets the one failure policy even when registered without
    /// <see cref="AddAudit"/> (then the options are the defaults).
    /// </summary>
    public static IServiceCollection AddAuditWriter(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddTokenFunctionsTelemetry();
        services.AddLogging();
        services.AddOptions<AuditOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AuditRetryBuffer>();
        services.TryAddSingleton(sp => new AuditWriter(
            sp.GetRequiredService<IAuditSink>(),
            sp.GetRequiredService<AuditRetryBuffer>(),
            sp.GetRequiredService<TokenFunctionsMetrics>(),
            sp.GetRequiredService<ILogger<AuditWriter>>(),
            sp.GetRequiredService<IOptions<AuditOptions>>(),
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
