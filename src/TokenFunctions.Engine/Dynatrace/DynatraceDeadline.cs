namespace TokenFunctions.Engine.Dynatrace;

/// <summary>
/// The time budget of one client operation (all attempts, waits, the secondary-credential retry and any OAuth fetch).
/// <see cref="DynatraceOptions.RequestDeadline"/> (8 s) suits the inline webhook path; a queue consumer that may take
/// longer widens it for its own calls: <c>using (DynatraceDeadline.Override(TimeSpan.FromSeconds(60))) { … }</c>.
/// </summary>
public static class DynatraceDeadline
{
    private static readonly AsyncLocal<TimeSpan?> Current = new();

    public static TimeSpan? CurrentOverride => Current.Value;

    public static IDisposable Override(TimeSpan budget)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(budget, TimeSpan.Zero);
        var previous = Current.Value;
        Current.Value = budget;
        return new Scope(previous);
    }

    internal static long Start(TimeProvider time, TimeSpan configured)
    {
        var budget = Current.Value ?? configured;
        return time.GetTimestamp() + (long)(budget.TotalSeconds * time.TimestampFrequency);
    }

    private sealed class Scope(TimeSpan? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
