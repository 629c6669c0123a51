namespace TokenFunctions.WorkerHost.ServiceBus;

internal enum SettleResult
{
    Done,

    /// <summary>No message holds that lock (expired, settled already, or never issued): Service Bus's MessageLockLost.</summary>
    LockLost,
}
