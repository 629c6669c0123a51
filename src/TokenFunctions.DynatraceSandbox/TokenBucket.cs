using System.Diagnostics;

namespace TokenFunctions.DynatraceSandbox;

/// <summary>A token bucket on the real (monotonic) clock: <c>rate</c> permits per second, up to <c>burst</c> saved up.</summary>
internal sealed class TokenBucket(double permitsPerSecond, int burst)
{
    private readonly Lock _gate = new();
    private readonly double _capacity = Math.Max(1, burst);
    private double _tokens = Math.Max(1, burst);
    private long _last = Stopwatch.GetTimestamp();

    public double PermitsPerSecond { get; } = permitsPerSecond > 0 ? permitsPerSecond : throw new ArgumentOutOfRangeException(nameof(permitsPerSecond));

    /// <summary>Takes one permit, or says how long until the next one.</summary>
    public bool TryTake(out TimeSpan wait)
    {
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            _tokens = Math.Min(_capacity, _tokens + (Stopwatch.GetElapsedTime(_last, now).TotalSeconds * PermitsPerSecond));
            _last = now;
            if (_tokens >= 1)
            {
                _tokens -= 1;
                wait = TimeSpan.Zero;
                return true;
            }

            wait = TimeSpan.FromSeconds((1 - _tokens) / PermitsPerSecond);
            return false;
        }
    }
}
