using System.Collections.Concurrent;
using TokenFunctions.Engine.Dynatrace.Targets;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Kill;

/// <summary>
/// One <see cref="Throttle"/> per environment or account, shared by every batch the process runs, so concurrent calls
/// (and, when configured, calls per second) to one tenant stay bounded however many batches and tokens are in flight.
/// </summary>
public sealed class ConcurrencyGates(Func<int> concurrency, Func<TokenKind, double> ratePerSecond, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Throttle> _throttles = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The gate of <paramref name="target"/>, by its <see cref="ITokenTarget.Key"/>; paced at its kind's rate.</summary>
    internal Throttle For(ITokenTarget target) =>
        _throttles.GetOrAdd(target.Key, static (_, state) => new Throttle(state.Target.Kind, Math.Max(1, state.Gates.Concurrency), state.Gates), (Target: target, Gates: this));

    private int Concurrency => concurrency();

    private TimeProvider Time => time;

    private double RateFor(TokenKind kind) => ratePerSecond(kind);

    /// <summary>A semaphore bounding concurrent calls plus a pacer spacing their start times.</summary>
    internal sealed class Throttle(TokenKind kind, int size, ConcurrencyGates gates)
    {
        private readonly SemaphoreSlim _slots = new(size, size);
        private readonly RequestPacer _pacer = new(gates.Time);

        public async Task EnterAsync(CancellationToken cancellationToken)
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // Paced inside the slot, so the number of callers holding reserved future slots stays bounded too.
                await _pacer.WaitTurnAsync(gates.RateFor(kind), cancellationToken).ConfigureAwait(false);
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
