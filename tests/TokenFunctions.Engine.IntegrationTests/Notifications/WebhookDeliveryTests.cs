using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Dynatrace.Targets;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Notifications;
using TokenFunctions.Engine.Telemetry;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.IntegrationTests.Notifications;

/// <summary>
/// Notifications through the real named HttpClients and their Polly pipelines against a loopback Kestrel server that is
/// healthy, failing, slow or down. The caller's hand-off must complete synchronously in every case.
/// </summary>
public sealed class WebhookDeliveryTests : IAsyncLifetime
{
    private const string Secret = "dt0c01.ST2EY72KQINMH574WMNVI7YN.G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM";
    private const string SecretPart = "G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM";

    /// <summary>Webhook paths are credentials; this marker must never reach a log line.</summary>
    private const string PathSecret = "HOOKSECRET7Q";

    private const string TeamsPath = "/teams/workflows/" + PathSecret + "-t";
    private const string SlackPath = "/services/T000/B000/" + PathSecret + "-s";
    private const string GenericPath = "/generic/" + PathSecret + "-g";

    private static readonly TokenId Classic = TokenId.Parse("dt0c01.ST2EY72KQINMH574WMNVI7YN");
    private static readonly TokenId Protected = TokenId.Parse("dt0c01.PROTECTED000000000000000");

    private WebhookServer _server = null!;
    private ServiceProvider? _services;
    private MetricCollector<long>? _failures;
    private MetricCollector<long>? _sent;

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _server = await WebhookServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            foreach (var hosted in _services.GetServices<IHostedService>())
            {
                await hosted.StopAsync(CancellationToken.None);
            }

            _failures?.Dispose();
            _sent?.Dispose();
            await _services.DisposeAsync();
        }

        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Every_channel_gets_one_message_per_incident_with_ids_and_owners_and_no_secret()
    {
        var notifier = await StartAsync(
            teams: _server.Route(TeamsPath, _ => 202),
            slack: _server.Route(SlackPath, _ => 200),
            generic: _server.Route(GenericPath, _ => 200),
            startDispatcher: false);

        // Two batches of the same incident are waiting together: they become one message per channel.
        Assert.True(notifier.NotifyAsync(FirstBatch(), Ct).IsCompletedSuccessfully);
        Assert.True(notifier.NotifyAsync(SecondBatch(), Ct).IsCompletedSuccessfully);
        await StartDispatcherAsync();
        await Task.WhenAll(_server.Delivered(TeamsPath), _server.Delivered(SlackPath), _server.Delivered(GenericPath)).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await _sent!.WaitForMeasurementsAsync(3, TimeSpan.FromSeconds(30));

        var received = _server.Received;
        Assert.Equal(3, received.Count);
        Assert.All(received, d =>
        {
            Assert.Equal("application/json; charset=utf-8", d.ContentType);
            Assert.DoesNotContain(SecretPart, d.Body, StringComparison.Ordinal);
        });

        using var teams = JsonDocument.Parse(received.Single(d => d.Path == TeamsPath).Body);
        Assert.Equal("AdaptiveCard", teams.RootElement.GetProperty("attachments")[0].GetProperty("content").GetProperty("type").GetString());
        var teamsText = teams.RootElement.GetRawText();
        using var slack = JsonDocument.Parse(received.Single(d => d.Path == SlackPath).Body);
        Assert.Equal("header", slack.RootElement.GetProperty("blocks")[0].GetProperty("type").GetString());
        using var generic = JsonDocument.Parse(received.Single(d => d.Path == GenericPath).Body);
        var tokens = generic.RootElement.GetProperty("tokens").EnumerateArray().ToDictionary(t => t.GetProperty("tokenId").GetString()!);
        Assert.Equal(2, tokens.Count);
        Assert.Equal("alice@example.com", tokens[Classic.Value].GetProperty("owner").GetString());
        Assert.Equal("<@U0ALICE>", tokens[Classic.Value].GetProperty("contact").GetString());
        Assert.Equal("https://kv.vault.azure.net/secrets/ci", tokens[Classic.Value].GetProperty("replacementLocation").GetString());
        Assert.Equal("Protected", tokens[Protected.Value].GetProperty("outcome").GetString());
        Assert.Contains(Classic.Value, teamsText, StringComparison.Ordinal);
        Assert.Contains(Protected.Value, slack.RootElement.GetRawText(), StringComparison.Ordinal);

        Assert.Equal(["generic", "slack", "teams"], _sent.GetMeasurementSnapshot().Select(m => (string)m.Tags["channel"]!).Order());
        Assert.Empty(_failures!.GetMeasurementSnapshot());
        AssertLogsNeverShowWebhookPaths();
    }

    [Fact]
    public async Task Server_errors_are_retried_with_backoff_until_the_webhook_accepts()
    {
        var notifier = await StartAsync(slack: _server.Route(SlackPath, attempt => attempt <= 2 ? 500 : 200));

        Assert.True(notifier.NotifyAsync(FirstBatch(), Ct).IsCompletedSuccessfully);
        await _server.Delivered(SlackPath).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await _sent!.WaitForMeasurementsAsync(1, TimeSpan.FromSeconds(30));

        Assert.Equal(3, _server.Attempts(SlackPath));
        Assert.Empty(_failures!.GetMeasurementSnapshot());
        Assert.Equal("slack", Assert.Single(_sent.GetMeasurementSnapshot()).Tags["channel"]);
        AssertLogsNeverShowWebhookPaths();
    }

    [Fact]
    public async Task A_client_error_is_not_retried_and_is_counted()
    {
        var notifier = await StartAsync(teams: _server.Route(TeamsPath, _ => 400));

        Assert.True(notifier.NotifyAsync(FirstBatch(), Ct).IsCompletedSuccessfully);
        await _failures!.WaitForMeasurementsAsync(1, TimeSpan.FromSeconds(30));

        Assert.Equal(1, _server.Attempts(TeamsPath));
        Assert.Equal("teams", Assert.Single(_failures.GetMeasurementSnapshot()).Tags["channel"]);
        Assert.Contains(Logs(), l => l.Id.Id == 7212 && l.Message.Contains("status-400", StringComparison.Ordinal) && l.Message.Contains(Classic.Value, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_slow_webhook_times_out_per_attempt_is_retried_then_counted_and_does_not_hold_up_the_others()
    {
        var notifier = await StartAsync(
            teams: _server.Route(TeamsPath, _ => null),
            generic: _server.Route(GenericPath, _ => 200),
            attemptTimeout: TimeSpan.FromMilliseconds(300),
            retries: 2);

        var handOff = notifier.NotifyAsync(FirstBatch(), Ct);

        Assert.True(handOff.IsCompletedSuccessfully);
        await _server.Delivered(GenericPath).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await _failures!.WaitForMeasurementsAsync(1, TimeSpan.FromSeconds(30));
        Assert.Equal(3, _server.Attempts(TeamsPath));
        Assert.Equal("teams", Assert.Single(_failures.GetMeasurementSnapshot()).Tags["channel"]);
        Assert.Contains(Logs(), l => l.Id.Id == 7212 && l.Message.Contains("timeout", StringComparison.Ordinal));
        AssertLogsNeverShowWebhookPaths();
    }

    [Fact]
    public async Task A_webhook_that_is_down_is_counted_and_the_caller_never_notices()
    {
        var notifier = await StartAsync(generic: ClosedPortUrl(), retries: 1);

        var handOff = notifier.NotifyAsync(FirstBatch(), Ct);

        Assert.True(handOff.IsCompletedSuccessfully);
        await _failures!.WaitForMeasurementsAsync(1, TimeSpan.FromSeconds(30));
        Assert.Equal("generic", Assert.Single(_failures.GetMeasurementSnapshot()).Tags["channel"]);
        Assert.Contains(Logs(), l => l.Id.Id == 7212 && l.Message.Contains("unreachable", StringComparison.Ordinal));
        AssertLogsNeverShowWebhookPaths();
    }

    private static KillResult FirstResult() => new(
    [
        new TokenOutcome
        {
            TokenId = Classic,
            Outcome = TokenOutcomeKind.Disabled,
            Owner = "prod-env",
            Detail = "leaked as " + Secret,
            Facts = TokenFacts.From(new ApiTokenInfo { Id = Classic, Owner = "alice@example.com" }),
            ReplacementLocation = "https://kv.vault.azure.net/secrets/ci",
        },
    ]);

    private static IncidentSummary FirstBatch() =>
        IncidentSummary.From(FirstResult(), "incident-77", "github-alert", false, DateTimeOffset.UnixEpoch);

    private static IncidentSummary SecondBatch() => IncidentSummary.From(
        new KillResult([new TokenOutcome { TokenId = Protected, Outcome = TokenOutcomeKind.Protected, Owner = "prod-env" }]),
        "incident-77",
        "github-alert",
        false,
        DateTimeOffset.UnixEpoch);

    private static Uri ClosedPortUrl()
    {
        // Bind, learn the port, release it: nothing listens there now, so connecting is refused at once.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}{GenericPath}");
    }

    private async Task<IIncidentNotifier> StartAsync(
        Uri? teams = null,
        Uri? slack = null,
        Uri? generic = null,
        TimeSpan? attemptTimeout = null,
        int retries = 3,
        bool startDispatcher = true)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Notifications:Teams:WebhookUrl"] = teams?.ToString(),
            ["Notifications:Slack:WebhookUrl"] = slack?.ToString(),
            ["Notifications:Generic:Url"] = generic?.ToString(),
            ["Notifications:OwnerContacts:alice@example.com"] = "<@U0ALICE>",
            ["Notifications:AttemptTimeout"] = (attemptTimeout ?? TimeSpan.FromSeconds(10)).ToString(),
            ["Notifications:TotalTimeout"] = "00:00:30",
            ["Notifications:MaxRetryAttempts"] = retries.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Notifications:RetryBaseDelay"] = "00:00:00.020",
        }).Build();
        _services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Trace))
            .AddFakeLogging()
            .AddNotifications(configuration)
            .BuildServiceProvider();
        var meters = _services.GetRequiredService<IMeterFactory>();
        _failures = new MetricCollector<long>(meters, TokenFunctionsMetrics.MeterName, "tokenfunctions.notifications.failures");
        _sent = new MetricCollector<long>(meters, TokenFunctionsMetrics.MeterName, "tokenfunctions.notifications.sent");
        if (startDispatcher)
        {
            await StartDispatcherAsync();
        }

        return _services.GetRequiredService<IIncidentNotifier>();
    }

    private async Task StartDispatcherAsync()
    {
        foreach (var hosted in _services!.GetServices<IHostedService>())
        {
            await hosted.StartAsync(Ct);
        }
    }

    private IReadOnlyList<FakeLogRecord> Logs() => _services!.GetFakeLogCollector().GetSnapshot();

    private void AssertLogsNeverShowWebhookPaths()
    {
        var logs = Logs();
        Assert.NotEmpty(logs);
        foreach (var log in logs)
        {
            var everything = string.Join(
                '\n',
                new[] { log.Message, log.Exception?.ToString() }
                    .Concat(log.StructuredState?.Select(kv => kv.Value) ?? []));
            Assert.DoesNotContain(PathSecret, everything, StringComparison.Ordinal);
            Assert.DoesNotContain(SecretPart, everything, StringComparison.Ordinal);
        }
    }
}
