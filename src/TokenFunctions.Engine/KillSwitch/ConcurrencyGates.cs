using System.Collections.Concurrent;

namespace TokenFunctions.Engine.KillSwitch;

/// <summary>
/// One semaphore per environment or account, shared by every batch the process runs, so the number of concurrent
/// Dynatrace calls to one tenant stays bounded however many batches and tokens are in flight.
/// </summary>
internal sealed class ConcurrencyGates(Func<int> limit)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.OrdinalIgnoreCase);

    public static string ForEnvironment(string name) => "env:" + name;

    public static string ForAccount(string name) => "account:" + name;

    public SemaphoreSlim For(string key) =>
        _gates.GetOrAdd(key, static (_, size) => { var n = Math.Max(1, size()); return new SemaphoreSlim(n, n); }, limit);
}
