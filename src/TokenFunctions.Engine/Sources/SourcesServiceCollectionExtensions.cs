using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Sources.Deliveries;
using TokenFunctions.Engine.Sources.Generic;
using TokenFunctions.Engine.Sources.GitGuardian;
using TokenFunctions.Engine.Sources.GitHub;
using TokenFunctions.Engine.Sources.GitHubPartner;
using TokenFunctions.Engine.Sources.GitLab;
using TokenFunctions.Engine.Sources.Http;
using TokenFunctions.Engine.Sources.Pipeline;
using TokenFunctions.Engine.Sources.Response;
using TokenFunctions.Engine.Storage;
using TokenFunctions.Engine.Telemetry;

namespace TokenFunctions.Engine.Sources;

public static class SourcesServiceCollectionExtensions
{
    /// <summary>
    /// The webhook endpoints (<see cref="GitHubAlertEndpoint"/>, <see cref="GitHubPartnerEndpoint"/>,
    /// <see cref="GitGuardianEndpoint"/>, <see cref="GenericWebhookEndpoint"/>, <see cref="GitLabRevocationEndpoint"/>) and
    /// what they need from this capability. The kill, incident queue, audit sink and managed-credential index come
    /// from their own capabilities' registrations.
    /// </summary>
    public static IServiceCollection AddLeakSources(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        AddSourceOptions(services, configuration);

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<TokenFunctionsMetrics>();
        services.TryAddSingleton<IWebhookSecretProvider>(_ => new ConfigurationWebhookSecretProvider(configuration));
        services.TryAddSingleton<IDeliveryClaims>(sp => CreateDeliveryClaims(sp, configuration));

        services.TryAddSingleton<WebhookIntake>();
        services.TryAddSingleton<DeliveryGate>();
        services.AddAuditWriter();
        services.TryAddSingleton<SourceAudit>();
        services.TryAddSingleton<LeakResponder>();
        services.TryAddSingleton<PendingFollowUps>();
        services.TryAddSingleton<FollowUpHandOff>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, FollowUpRetryService>());
        services.TryAddSingleton<WebhookPipeline>();

        AddGitHubClients(services, configuration);

        // Resolves a handed-off GitHub alert once the incident queue has disabled its tokens.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IIncidentFollowUp, GitHubAlertFollowUp>());

        services.TryAddSingleton<GitHubAlertEndpoint>();
        services.TryAddSingleton<GitHubPartnerEndpoint>();
        services.TryAddSingleton<GitGuardianEndpoint>();
        services.TryAddSingleton<GenericWebhookEndpoint>();

        // GitLab's contract answers 429 past a rate (Sources:GitLab:PermitsPerMinute): one limiter per source, keyed by its name.
        services.TryAddKeyedSingleton(SourceNames.GitLab, static (sp, _) =>
            new SourceRateLimiter(sp.GetRequiredService<IOptions<GitLabOptions>>().Value.PermitsPerMinute, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<GitLabRevocationEndpoint>();
        return services;
    }

    private static void AddSourceOptions(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SourcesOptions>().Bind(configuration.GetSection(SourcesOptions.SectionName))
            .Validate(o => o.MaxBodyBytes > 0 && o.InlineDeadline > TimeSpan.Zero && o.EnqueueTimeout > TimeSpan.Zero && o.ClaimLease > TimeSpan.Zero
                    && o.FollowUpBudget >= TimeSpan.Zero,
                "Sources: MaxBodyBytes, InlineDeadline, EnqueueTimeout and ClaimLease must be positive, FollowUpBudget not negative.")
            .ValidateOnStart();
        services.AddOptions<GitHubAlertOptions>().Bind(configuration.GetSection(GitHubAlertOptions.SectionName));
        services.AddOptions<PartnerOptions>().Bind(configuration.GetSection(PartnerOptions.SectionName));
        services.AddOptions<GitGuardianOptions>().Bind(configuration.GetSection(GitGuardianOptions.SectionName));
        services.AddOptions<GenericWebhookOptions>().Bind(configuration.GetSection(GenericWebhookOptions.SectionName));
        services.AddOptions<GitLabOptions>().Bind(configuration.GetSection(GitLabOptions.SectionName))
            .Validate(o => o.PermitsPerMinute > 0, "Sources:GitLab:PermitsPerMinute must be positive.");
        services.AddOptions<DeliveryClaimsOptions>().Bind(configuration.GetSection(DeliveryClaimsOptions.SectionName));
    }

    private static void AddGitHubClients(IServiceCollection services, IConfiguration configuration)
    {
        // Header logging never carries a value: these requests hold the GitHub token or the App's JWT in Authorization.
        services.AddHttpClient(GitHubAlertClient.HttpClientName).RedactLoggedHeaders(static _ => true).AddStandardResilienceHandler(o => ConfigureGitHub(o, configuration));
        services.AddHttpClient(GitHubAppCredential.HttpClientName).RedactLoggedHeaders(static _ => true).AddStandardResilienceHandler(o => ConfigureGitHub(o, configuration));
        services.AddHttpClient(PartnerPublicKeyCache.HttpClientName).RedactLoggedHeaders(static _ => true).AddStandardResilienceHandler(o =>
        {
            o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(2);
            o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(5);
            o.Retry.MaxRetryAttempts = 1;
            o.Retry.Delay = TimeSpan.FromMilliseconds(200);
        });
        services.TryAddSingleton<IGitHubCredential>(sp => sp.GetRequiredService<IOptions<GitHubAlertOptions>>().Value.UsesApp
            ? ActivatorUtilities.CreateInstance<GitHubAppCredential>(sp)
            : ActivatorUtilities.CreateInstance<StaticGitHubCredential>(sp));
        services.TryAddSingleton<IGitHubAlertClient, GitHubAlertClient>();
        services.TryAddSingleton<IPartnerPublicKeyProvider, PartnerPublicKeyCache>();
    }

    private static void ConfigureGitHub(HttpStandardResilienceOptions options, IConfiguration configuration)
    {
        // Every GitHub call runs inside the inline deadline, so attempts are short and retries few.
        var attempt = configuration.GetValue<TimeSpan?>(GitHubAlertOptions.SectionName + ":RequestTimeout") ?? TimeSpan.FromSeconds(3);
        options.AttemptTimeout.Timeout = attempt;
        options.TotalRequestTimeout.Timeout = attempt * 2 + TimeSpan.FromSeconds(1);
        options.CircuitBreaker.SamplingDuration = attempt * 2 > TimeSpan.FromSeconds(30) ? attempt * 2 : TimeSpan.FromSeconds(30);
        options.Retry.MaxRetryAttempts = 1;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
    }

    private static IDeliveryClaims CreateDeliveryClaims(IServiceProvider services, IConfiguration configuration)
    {
        var settings = services.GetRequiredService<IOptions<DeliveryClaimsOptions>>().Value;
        var time = services.GetRequiredService<TimeProvider>();
        if (string.Equals(settings.Mode, "InMemory", StringComparison.OrdinalIgnoreCase))
        {
            return new InMemoryDeliveryClaims(time);
        }

        var service = TableStorage.TryCreateService(settings.ConnectionString, settings.ServiceUri, configuration, hostTableServiceUriFallback: false)
            ?? throw new InvalidOperationException(
                "The webhook delivery claims need storage: set Sources:Ledger:ConnectionString, Sources:Ledger:ServiceUri or AzureWebJobsStorage " +
                "(or Sources:Ledger:Mode=InMemory for a single local instance).");

        return new TableDeliveryClaims(service.GetTableClient(settings.TableName), time);
    }
}
