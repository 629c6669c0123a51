using System.Threading.RateLimiting;

namespace TokenFunctions.Engine.Sources.Http;

/// <summary>
/// A per-source token bucket (System.Threading.RateLimiting) replenished from <see cref="TimeProvider"/> rather than a
/// wall-clock timer, so quotas are testable and follow the same clock as everything else.
/// </summary>
public sealed class SourceRateLimiter : IDisposable
{
    private readonly TokenBucketRateLimiter _bucket;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _period;
    private readonly Lock _gate = new();
    private DateTimeOffset _lastReplenish;

    /// <param name="permitsPerMinute">Sustained rate; also the burst size.</param>
    public SourceRateLimiter(int permitsPerMinute, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permitsPerMinute, 1);
        _timeProvider = timeProvider;
        _period = TimeSpan.FromMinutes(1) / permitsPerMinute;
        _lastReplenish = timeProvider.GetUtcNow();
        _bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = permitsPerMinute,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = _period,
            AutoReplenishment = false,
            QueueLimit = 0,
        });
    }

    /// <summary>True when a permit was taken; otherwise <paramref name="retryAfter"/> says when the next one is due.</summary>
    public bool TryAcquire(out TimeSpan retryAfter)
    {
        lock (_gate)
        {
            var now = _timeProvider.GetUtcNow();
            var due = (long)((now - _lastReplenish) / _period);
            for (var i = 0L; i < due && i < 100_000; i++)
            {
                _bucket.TryReplenish();
            }

            if (due > 0)
            {
                _lastReplenish += _period * due;
            }

            using var lease = _bucket.AttemptAcquire();
            retryAfter = lease.IsAcquired ? TimeSpan.Zero : _period - (now - _lastReplenish);
            return lease.IsAcquired;
        }
    }

    public void Dispose() => _bucket.Dispose();
}
