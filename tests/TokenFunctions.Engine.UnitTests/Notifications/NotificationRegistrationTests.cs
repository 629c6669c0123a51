using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Notifications;

namespace TokenFunctions.Engine.UnitTests.Notifications;

public sealed class NotificationRegistrationTests
{
    [Fact]
    public void The_section_binds_urls_contacts_and_timeouts()
    {
        using var provider = Build(new Dictionary<string, string?>
        {
            ["Notifications:Slack:WebhookUrl"] = "https://hooks.slack.com/services/T0/B0/abc",
            ["Notifications:OwnerContacts:alice@example.com"] = "<@U0ALICE>",
            ["Notifications:AttemptTimeout"] = "00:00:03",
        });

        var options = provider.GetRequiredService<IOptions<NotificationOptions>>().Value;
        Assert.Equal(new Uri("https://hooks.slack.com/services/T0/B0/abc"), options.Slack.WebhookUrl);
        Assert.Equal("<@U0ALICE>", options.OwnerContacts["ALICE@example.com"]);
        Assert.Equal(TimeSpan.FromSeconds(3), options.AttemptTimeout);

        var channels = provider.GetServices<INotificationChannel>().ToList();
        Assert.Equal(["teams", "slack", "generic"], channels.Select(c => c.Name));
        Assert.Equal([false, true, false], channels.Select(c => c.IsConfigured));
        Assert.IsType<QueuedIncidentNotifier>(provider.GetRequiredService<IIncidentNotifier>());
        Assert.Contains(provider.GetServices<IHostedService>(), s => s is NotificationDispatcher);
    }

    [Theory]
    [InlineData("Notifications:Teams:WebhookUrl", "ftp://example.com/hook")]
    [InlineData("Notifications:AttemptTimeout", "00:05:00")]
    [InlineData("Notifications:QueueCapacity", "0")]
    [InlineData("Notifications:CoalesceQuietPeriod", "-00:00:01")]
    [InlineData("Notifications:CoalesceMaxDelay", "00:00:01")]
    [InlineData("Notifications:CoalesceMaxDelay", "01:00:00")]
    public void Bad_settings_fail_validation(string key, string value)
    {
        using var provider = Build(new Dictionary<string, string?> { [key] = value });
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<NotificationOptions>>().Value);
    }

    [Fact]
    public void Webhook_urls_are_described_by_host_only()
    {
        Assert.Equal("https://hooks.slack.com/…", WebhookUrl.Describe(new Uri("https://hooks.slack.com/services/T0/B0/secretpath")));
        Assert.Equal("(not configured)", WebhookUrl.Describe(null));
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddNotifications(configuration).BuildServiceProvider();
    }
}
