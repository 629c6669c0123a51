namespace TokenFunctions.WorkerHost.Worker;

/// <summary>Where the host applies a worker's settlement of one delivered message (the broker, through a receiver).</summary>
public interface ISettlementTarget
{
    Task ApplyAsync(SettlementRecord settlement, CancellationToken cancellationToken);
}
