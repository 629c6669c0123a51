using System.Collections.Concurrent;

namespace TokenFunctions.Engine.Kill;

/// <summary>
/// One <see cref="Throttle"/> per environment or account, shared by every batch the process runs, so concurrent calls
/// (and, when configured, calls per second) to one tenant stay bounded however many batches and tokens are in flight.
/// </summary>
public sealed class ConcurrencyGates(Func<int> concurrency, Func<string, double> ratePerSecond, TimeProvider time)
{
    private const string EnvironmentPrefix = "env:";
    private const string AccountPrefix = "account:";

    private readonly ConcurrentDictionary<string, Throttle> _throttles = new(StringComparer.OrdinalIgnoreCase);

    internal static string ForEnvironment(string name) => EnvironmentPrefix + name;

    internal static string ForAccount(string name) => AccountPrefix + name;

    internal static bool IsAccount(string key) => key.StartsWith(AccountPrefix, StringComparison.Ordinal);

    internal Throttle For(string key) =>
        _throttles.GetOrAdd(key, static (k, gates) => new Throttle(k, Math.Max(1, gates.Concurrency), gates), this);

    private int Concurrency => concurrency();

    private TimeProvider Time => time;

    private double RateFor(string key) => ratePerSecond(key);

    /// <summary>A semaphore bounding concurrent calls plus a pacer spacing their start times.</summary>
    internal sealed class Throttle(string key, int size, ConcurrencyGates gates)
    {
        private readonly SemaphoreSlim _slots = new(size, size);
        private readonly RequestPacer _pacer = new(gates.Time);

        public async Task EnterAsync(CancellationToken cancellationToken)
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // Paced inside the slot, so the number of callers holding reserved future slots stays bounded too.
                await _pacer.WaitTurnAsync(gates.RateFor(key), cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                _slots.Release();
                throw;
            }
        }

        public void Release() => _slots.Release();
    }
}
