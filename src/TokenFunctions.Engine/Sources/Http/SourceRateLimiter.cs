namespace TokenFunctions.Engine.Sources.Http;

/// <summary>
/// A per-source token bucket on <see cref="TimeProvider"/>. Not System.Threading.RateLimiting: its token bucket reads the
/// Stopwatch even with manual replenishment (a replenish moments after draining adds nothing), so it cannot follow an
/// injected clock, and quotas must be testable without sleeping.
/// </summary>
public sealed class SourceRateLimiter
{
    private readonly TimeProvider _timeProvider;
    private readonly int _capacity;
    private readonly TimeSpan _period;
    private readonly Lock _gate = new();
    private double _tokens;
    private DateTimeOffset _last;

    /// <param name="permitsPerMinute">Sustained rate; also the burst size.</param>
    public SourceRateLimiter(int permitsPerMinute, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permitsPerMinute, 1);
        _timeProvider = timeProvider;
        _capacity = permitsPerMinute;
        _period = TimeSpan.FromMinutes(1) / permitsPerMinute;
        _tokens = permitsPerMinute;
        _last = timeProvider.GetUtcNow();
    }

    /// <summary>True when a permit was taken; otherwise <paramref name="retryAfter"/> says when the next one is due.</summary>
    public bool TryAcquire(out TimeSpan retryAfter)
    {
        lock (_gate)
        {
            var now = _timeProvider.GetUtcNow();
            if (now > _last)
            {
                _tokens = Math.Min(_capacity, _tokens + ((now - _last) / _period));
                _last = now;
            }

            if (_tokens >= 1)
            {
                _tokens -= 1;
                retryAfter = TimeSpan.Zero;
                return true;
            }

            retryAfter = _period * (1 - _tokens);
            return false;
        }
    }
}
