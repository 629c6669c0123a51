using System.Collections.Concurrent;

namespace TokenFunctions.WorkerHost.Worker;

/// <summary>
/// Every settlement the workers asked for, in order, and the targets that apply them: a delivered message registers its
/// lock token here, so the worker's <c>CompleteMessageAsync</c> reaches the broker the way the real host's does.
/// </summary>
public sealed class Settlements
{
    private readonly ConcurrentQueue<SettlementRecord> _records = new();
    private readonly ConcurrentDictionary<string, ISettlementTarget> _targets = new(StringComparer.OrdinalIgnoreCase);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<SettlementRecord> Records => [.. _records];

    public IReadOnlyList<SettlementRecord> For(string lockToken) => [.. _records.Where(r => string.Equals(r.LockToken, lockToken, StringComparison.OrdinalIgnoreCase))];

    public void Register(string lockToken, ISettlementTarget target) => _targets[lockToken] = target;

    public void Unregister(string lockToken) => _targets.TryRemove(lockToken, out _);

    /// <summary>Completes when <paramref name="condition"/> holds over the records, re-checked after each settlement.</summary>
    public async Task WaitForAsync(Func<IReadOnlyList<SettlementRecord>, bool> condition, CancellationToken cancellationToken)
    {
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task;
            if (condition(Records))
            {
                return;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    internal async Task ApplyAsync(SettlementRecord settlement, CancellationToken cancellationToken)
    {
        try
        {
            // A message the test handed the worker directly has no target: the settlement is only recorded.
            if (_targets.TryGetValue(settlement.LockToken, out var target))
            {
                await target.ApplyAsync(settlement, cancellationToken).ConfigureAwait(false);
            }

            Record(settlement);
        }
        catch (Exception exception)
        {
            Record(settlement with { Error = exception.Message });
            throw;
        }
    }

    private void Record(SettlementRecord settlement)
    {
        _records.Enqueue(settlement);
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }
}
