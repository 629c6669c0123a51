namespace TokenFunctions.Engine.Kill;

/// <summary>
/// Spaces calls to one environment or account at most <c>perSecond</c> apart by handing out time slots: each caller
/// reserves the next free slot and waits for it. Staying under a known limit avoids the 429s (and the retry backoff that
/// follows them) that would otherwise waste most of the allowance; lateness of one caller never shifts the schedule.
/// </summary>
internal sealed class RequestPacer(TimeProvider time)
{
    private readonly Lock _lock = new();
    private long _nextSlot = long.MinValue;

    public Task WaitTurnAsync(double perSecond, CancellationToken cancellationToken)
    {
        if (perSecond <= 0 || double.IsNaN(perSecond) || double.IsInfinity(perSecond))
        {
            return Task.CompletedTask;
        }

        var interval = Math.Max(1L, (long)(time.TimestampFrequency / perSecond));
        long now;
        long slot;
        lock (_lock)
        {
            now = time.GetTimestamp();
            slot = Math.Max(now, _nextSlot);
            _nextSlot = slot + interval;
        }

        var wait = time.GetElapsedTime(now, slot);
        return wait <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(wait, time, cancellationToken);
    }
}
