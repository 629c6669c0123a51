namespace TokenFunctions.KeyVaultSandbox;

/// <summary>
/// The sandbox's injected faults, changeable at runtime from a test. A fault without an operation applies to every vault
/// operation but not to the managed-identity endpoint (a vault outage leaves the identity endpoint up); name
/// <see cref="KeyVaultOperation.ManagedIdentityToken"/> to fault that one. Checked before authentication, so a fault
/// also meets the unauthenticated first request of a new client, as a network fault would. Queued one-shot faults come
/// before the persistent one.
/// </summary>
public sealed class KeyVaultFaults
{
    private readonly Lock _gate = new();
    private readonly List<QueuedFault> _queue = [];
    private KeyVaultFault? _persistent;
    private KeyVaultOperation? _persistentOperation;
    private volatile bool _active;

    /// <summary>The next <paramref name="times"/> matching requests get <paramref name="fault"/>.</summary>
    public KeyVaultFaults Enqueue(KeyVaultFault fault, int times = 1, KeyVaultOperation? operation = null)
    {
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        lock (_gate)
        {
            _queue.Add(new QueuedFault(fault, times, operation));
            Refresh();
        }

        return this;
    }

    /// <summary>Every matching request gets <paramref name="fault"/> until cleared (null clears).</summary>
    public KeyVaultFaults SetPersistent(KeyVaultFault? fault, KeyVaultOperation? operation = null)
    {
        lock (_gate)
        {
            _persistent = fault;
            _persistentOperation = operation;
            Refresh();
        }

        return this;
    }

    /// <summary>Removes every fault.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _queue.Clear();
            _persistent = null;
            _persistentOperation = null;
            Refresh();
        }
    }

    /// <summary>How many one-shot faults are still waiting.</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _queue.Sum(q => q.Remaining);
            }
        }
    }

    internal KeyVaultFault? Next(KeyVaultOperation operation)
    {
        if (!_active)
        {
            return null;
        }

        lock (_gate)
        {
            for (var i = 0; i < _queue.Count; i++)
            {
                var queued = _queue[i];
                if (!Matches(queued.Operation, operation))
                {
                    continue;
                }

                queued.Remaining--;
                if (queued.Remaining == 0)
                {
                    _queue.RemoveAt(i);
                    Refresh();
                }

                return queued.Fault;
            }

            return _persistent is not null && Matches(_persistentOperation, operation) ? _persistent : null;
        }
    }

    private static bool Matches(KeyVaultOperation? only, KeyVaultOperation operation) =>
        only is { } wanted ? wanted == operation : operation != KeyVaultOperation.ManagedIdentityToken;

    private void Refresh() => _active = _queue.Count > 0 || _persistent is not null;

    private sealed class QueuedFault(KeyVaultFault fault, int times, KeyVaultOperation? operation)
    {
        public KeyVaultFault Fault { get; } = fault;

        public KeyVaultOperation? Operation { get; } = operation;

        public int Remaining { get; set; } = times;
    }
}
