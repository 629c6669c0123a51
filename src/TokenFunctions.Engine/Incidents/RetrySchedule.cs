namespace TokenFunctions.Engine.Incidents;

/// <summary>
/// When retryable incident work runs again (<see cref="IncidentRetryOptions"/>): exponential backoff with jitter, capped,
/// until the horizon. Computed from the attempt number alone, because each attempt is a separate queue message and
/// possibly a separate process; Polly's retry strategy keeps its state inside one execution, so it cannot carry this.
/// </summary>
public static class RetrySchedule
{
    /// <summary>The delay before attempt <paramref name="attempt"/> (1 for the first retry); <paramref name="random"/> is in [0, 1).</summary>
    public static TimeSpan DelayFor(IncidentRetryOptions options, int attempt, double random)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var exponent = Math.Min(attempt - 1, 40);
        var ticks = Math.Min((double)options.MaxDelay.Ticks, options.FirstDelay.Ticks * Math.Pow(2, exponent));
        var jittered = ticks * (1 - (options.Jitter * Math.Clamp(random, 0, 1)));
        return TimeSpan.FromTicks((long)Math.Max(TimeSpan.TicksPerSecond, jittered));
    }

    /// <summary>
    /// When attempt <paramref name="attempt"/> runs, or null when that is past the horizon counted from
    /// <paramref name="since"/> (the first failure): then the work is dead-lettered instead.
    /// </summary>
    public static DateTimeOffset? Next(IncidentRetryOptions options, DateTimeOffset now, DateTimeOffset since, int attempt, double random)
    {
        ArgumentNullException.ThrowIfNull(options);
        var at = now + DelayFor(options, attempt, random);
        return at > since + options.Horizon ? null : at;
    }
}
