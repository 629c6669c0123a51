using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Incidents.Handlers;
using TokenFunctions.Engine.Incidents.Ledger;
using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Telemetry;

namespace TokenFunctions.Engine.Incidents.Testing;

/// <summary>
/// A processor composed by <c>AddIncidents</c> over fakes and in-memory stores (or any stores a test passes), plus helpers
/// that play the part of Service Bus: deliver, and redeliver with a higher delivery count after every Abandon.
/// </summary>
public sealed class IncidentTestHost : IDisposable
{
    private readonly List<ServiceProvider> _providers = [];

    public IncidentTestHost(IDynatraceDirectory? directory = null, IIncidentLedger? ledger = null, IIncidentProgressStore? progress = null)
    {
        Kill = new RecordingKillService(Time);
        Directory = directory ?? new FakeDirectory();
        Ledger = ledger ?? new InMemoryIncidentLedger();
        Progress = progress ?? new InMemoryIncidentProgressStore();
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 9, 1, 8, 0, 0, TimeSpan.Zero));

    public IncidentsOptions Options { get; } = new() { Storage = { InMemory = true } };

    public RecordingKillService Kill { get; }

    public IDynatraceDirectory Directory { get; set; }

    public IIncidentLedger Ledger { get; }

    public IIncidentProgressStore Progress { get; }

    public IRotationRequestHandler Rotation { get; set; } = new UnavailableRotationRequestHandler();

    public CapturingLogger<IncidentProcessor> Logger { get; } = new();

    /// <summary>Follow-ups the processor runs after a fully disabled <c>disable</c> message (none by default).</summary>
    public List<IIncidentFollowUp> FollowUps { get; } = [];

    public MetricsCapture Metrics { get; } = new();

    /// <summary>Where the processor sends continuations (and leak-rotation hand-offs); none by default, as in the CLI.</summary>
    public IIncidentMessageSender? Sender { get; set; }

    /// <summary>
    /// The processor as <c>AddIncidents</c> composes it, over this host's fakes as they are now (tests change
    /// <see cref="Directory"/>, <see cref="Rotation"/> and <see cref="Sender"/> between deliveries).
    /// </summary>
    public IncidentProcessor Processor()
    {
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(Time)
            .AddSingleton<IOptionsMonitor<IncidentsOptions>>(new StaticOptionsMonitor<IncidentsOptions>(Options))
            .AddSingleton<ILogger<IncidentProcessor>>(Logger)
            .AddSingleton<TokenFunctionsMetrics>(Metrics.Metrics)
            .AddSingleton<IKillService>(Kill)
            .AddSingleton<IDynatraceDirectory>(Directory)
            .AddSingleton<IRotationRequestHandler>(Rotation)
            .AddSingleton<IIncidentLedger>(Ledger)
            .AddSingleton<IIncidentProgressStore>(Progress);
        foreach (var followUp in FollowUps)
        {
            services.AddSingleton<IIncidentFollowUp>(followUp);
        }

        if (Sender is { } sender)
        {
            services.AddSingleton<IIncidentMessageSender>(sender);
        }

        var provider = services.AddIncidents(new ConfigurationBuilder().Build()).BuildServiceProvider();
        _providers.Add(provider);
        return provider.GetRequiredService<IncidentProcessor>();
    }

    public static IncomingIncidentMessage Message(string json, string messageId = "message-1", int deliveryCount = 1) =>
        new(Encoding.UTF8.GetBytes(json), messageId, deliveryCount, new DateTimeOffset(2026, 9, 1, 7, 59, 0, TimeSpan.Zero));

    public Task<SettlementDecision> DeliverAsync(string json, string messageId = "message-1", int deliveryCount = 1) =>
        Processor().ProcessAsync(Message(json, messageId, deliveryCount), CancellationToken.None);

    /// <summary>Delivers until the decision is not Abandon or Service Bus would dead-letter it; returns every decision.</summary>
    public async Task<IReadOnlyList<SettlementDecision>> DeliverUntilSettledAsync(string json, string messageId = "message-1")
    {
        var decisions = new List<SettlementDecision>();
        for (var count = 1; count <= Options.MaxDeliveryCount; count++)
        {
            var decision = await DeliverAsync(json, messageId, count);
            decisions.Add(decision);
            if (decision is not SettlementDecision.Abandon)
            {
                break;
            }

            // Service Bus redelivers after the abandon; a little time passes.
            Time.Advance(TimeSpan.FromSeconds(1));
        }

        return decisions;
    }

    public void Dispose()
    {
        foreach (var provider in _providers)
        {
            provider.Dispose();
        }

        Metrics.Dispose();
    }
}
