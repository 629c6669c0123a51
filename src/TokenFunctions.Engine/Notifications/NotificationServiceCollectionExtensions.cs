using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Telemetry;

namespace TokenFunctions.Engine.Notifications;

public static class NotificationServiceCollectionExtensions
{
    private const string PipelineName = "notify";

    /// <summary>
    /// Incident notifications (section <c>Notifications</c>): <see cref="IIncidentNotifier"/> (non-blocking), the
    /// Teams/Slack/generic channels on named HttpClients with Polly retry and timeouts, and the background
    /// <see cref="NotificationDispatcher"/>. Channels without a URL are off. The clients log nothing: the default
    /// HttpClient logging would write the webhook URL, which is a secret.
    /// </summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddTokenFunctionsTelemetry();
        services.AddLogging();
        services.AddOptions<NotificationOptions>()
            .Bind(configuration.GetSection(NotificationOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NotificationOptions>, NotificationOptionsValidator>());

        foreach (var channel in new[] { NotificationChannels.Teams, NotificationChannels.Slack, NotificationChannels.Generic })
        {
            services.AddHttpClient(NotificationChannels.HttpClientName(channel), client => client.Timeout = Timeout.InfiniteTimeSpan)
                .RemoveAllLoggers()
                .AddResilienceHandler(PipelineName, ConfigureResilience);
        }

        services.AddSingleton<INotificationChannel>(sp => Channel(sp, NotificationChannels.Teams, o => o.Teams.WebhookUrl, TeamsPayloadBuilder.Serialize));
        services.AddSingleton<INotificationChannel>(sp => Channel(sp, NotificationChannels.Slack, o => o.Slack.WebhookUrl, SlackPayloadBuilder.Serialize));
        services.AddSingleton<INotificationChannel>(sp => Channel(sp, NotificationChannels.Generic, o => o.Generic.Url, GenericPayloadBuilder.Serialize));
        services.AddSingleton<NotificationQueue>();
        services.AddSingleton<IIncidentNotifier, QueuedIncidentNotifier>();
        services.AddSingleton<IEvidenceNotifier, EvidenceNotifier>();
        services.TryAddSingleton(sp => new IncidentDeduplicator(
            sp.GetRequiredService<IOptions<NotificationOptions>>().Value.DuplicateWindow, sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<NotificationDispatcher>();
        return services;
    }

    private static WebhookNotificationChannel Channel(
        IServiceProvider services, string name, Func<NotificationOptions, Uri?> url, Func<IncidentView, byte[]> render) =>
        new(name, url(services.GetRequiredService<IOptions<NotificationOptions>>().Value), services.GetRequiredService<IHttpClientFactory>(), render);

    /// <summary>Outermost the budget for the whole delivery, then retries with backoff, innermost the per-attempt timeout.</summary>
    private static void ConfigureResilience(ResiliencePipelineBuilder<HttpResponseMessage> builder, ResilienceHandlerContext context)
    {
        var options = context.ServiceProvider.GetRequiredService<IOptions<NotificationOptions>>().Value;
        builder.AddTimeout(options.TotalTimeout);
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryBaseDelay,
                MaxDelay = TimeSpan.FromSeconds(30),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            });
        }

        builder.AddTimeout(options.AttemptTimeout);
    }
}
