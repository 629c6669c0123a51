using TokenFunctions.Engine.Incidents.Messages;

namespace TokenFunctions.Engine.Incidents;

/// <summary>Durable hand-off to the incident queue (Service Bus in Azure).</summary>
public interface IIncidentQueue
{
    Task EnqueueAsync(IncidentMessage message, CancellationToken cancellationToken);
}
