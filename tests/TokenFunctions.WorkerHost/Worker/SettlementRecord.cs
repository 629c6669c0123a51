namespace TokenFunctions.WorkerHost.Worker;

public enum SettlementKind
{
    Complete,
    Abandon,
    DeadLetter,
    Defer,
    RenewLock,
}

/// <summary>A call the worker's <c>ServiceBusMessageActions</c> made to the host's <c>Settlement</c> service.</summary>
/// <param name="Properties">The properties to modify, decoded from the AMQP map the worker sent.</param>
/// <param name="Error">Why applying it to the broker failed (e.g. the lock was lost), else null.</param>
public sealed record SettlementRecord(
    SettlementKind Kind,
    string LockToken,
    IReadOnlyDictionary<string, object?> Properties,
    string? Reason,
    string? Description,
    DateTimeOffset At,
    string? Error = null);
