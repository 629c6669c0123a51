using System.Collections.Concurrent;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Messages;

namespace TokenFunctions.Functions.Tests.Hosting;

/// <summary>Stands in for Service Bus as the processor's sender: records every message, or refuses them all.</summary>
public sealed class RecordingIncidentSender : IIncidentMessageSender
{
    public ConcurrentQueue<OutgoingIncidentMessage> Messages { get; } = new();

    public bool Refuse { get; set; }

    public Task SendAsync(OutgoingIncidentMessage message, CancellationToken cancellationToken)
    {
        if (Refuse)
        {
            throw new InvalidOperationException("Service Bus is unavailable (simulated)");
        }

        Messages.Enqueue(message);
        return Task.CompletedTask;
    }
}
