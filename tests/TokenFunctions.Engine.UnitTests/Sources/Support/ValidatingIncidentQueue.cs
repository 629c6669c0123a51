using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Engine.Incidents.Testing;

namespace TokenFunctions.Engine.Tests.Sources.Support;

/// <summary>
/// The real hand-off path: <see cref="ServiceBusIncidentQueue"/> with the real serializer (which refuses what the contract
/// refuses) over a recording sender, and every body sent read back by the processor's parser.
/// </summary>
public sealed class ValidatingIncidentQueue : IIncidentQueue, IIncidentMessageSender
{
    private readonly List<OutgoingIncidentMessage> _sent = [];
    private readonly Lock _gate = new();
    private readonly ServiceBusIncidentQueue _queue;

    public ValidatingIncidentQueue()
    {
        var options = new StaticOptionsMonitor<IncidentsOptions>(new IncidentsOptions { Storage = { InMemory = true } });
        Parser = new IncidentMessageParser(options);
        _queue = new ServiceBusIncidentQueue(new IncidentMessageSerializer(options), this, options);
    }

    public IncidentMessageParser Parser { get; }

    public IReadOnlyList<OutgoingIncidentMessage> Sent
    {
        get
        {
            lock (_gate)
            {
                return [.. _sent];
            }
        }
    }

    public Task EnqueueAsync(IncidentMessage message, CancellationToken cancellationToken) => _queue.EnqueueAsync(message, cancellationToken);

    public Task SendAsync(OutgoingIncidentMessage message, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _sent.Add(message);
        }

        return Task.CompletedTask;
    }
}
