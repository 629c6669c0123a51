using System.Text.Json;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Engine.Incidents.Testing;

namespace TokenFunctions.Engine.UnitTests.Fakes;

/// <summary>
/// The one <see cref="IIncidentQueue"/> fake: records every message enqueued (<see cref="Messages"/>); <see cref="Fail"/>
/// makes every enqueue throw ("queue down"). Created with <c>validating: true</c> it takes the real hand-off path first:
/// <see cref="ServiceBusIncidentQueue"/> with the real serializer (which refuses what the contract refuses) over
/// <see cref="Sender"/>, whose bodies <see cref="Parser"/> (the processor's parser) reads back.
/// </summary>
public sealed class RecordingIncidentQueue : IIncidentQueue
{
    private readonly List<IncidentMessage> _messages = [];
    private readonly Lock _gate = new();
    private readonly ServiceBusIncidentQueue? _serviceBus;

    public RecordingIncidentQueue(bool validating = false)
    {
        var options = new StaticOptionsMonitor<IncidentsOptions>(new IncidentsOptions { Storage = { InMemory = true } });
        Parser = new IncidentMessageParser(options);
        if (validating)
        {
            _serviceBus = new ServiceBusIncidentQueue(new IncidentMessageSerializer(options), Sender, options);
        }
    }

    public bool Fail { get; set; }

    /// <summary>What the real serializer sent (validating queues only).</summary>
    public RecordingIncidentMessageSender Sender { get; } = new();

    public IReadOnlyList<OutgoingIncidentMessage> Sent => Sender.Sent;

    public IncidentMessageParser Parser { get; }

    public IReadOnlyList<IncidentMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    public IEnumerable<DisableMessage> Disables => Messages.OfType<DisableMessage>();

    /// <summary>The messages as they would travel (for "no secret in the payload" assertions).</summary>
    public string SerializedAll() => string.Join("\n", Messages.Select(m => JsonSerializer.Serialize(m, new JsonSerializerOptions(JsonSerializerDefaults.Web))));

    public Task EnqueueAsync(IncidentMessage message, CancellationToken cancellationToken)
    {
        if (Fail)
        {
            throw new InvalidOperationException("queue down");
        }

        if (_serviceBus is { } serviceBus)
        {
            return SendThenRecordAsync(serviceBus, message, cancellationToken);
        }

        Record(message);
        return Task.CompletedTask;
    }

    private async Task SendThenRecordAsync(ServiceBusIncidentQueue serviceBus, IncidentMessage message, CancellationToken cancellationToken)
    {
        await serviceBus.EnqueueAsync(message, cancellationToken).ConfigureAwait(false);
        Record(message);
    }

    private void Record(IncidentMessage message)
    {
        lock (_gate)
        {
            _messages.Add(message);
        }
    }
}
