namespace TokenFunctions.Engine.Dynatrace;

/// <summary>
/// The time budget of one client operation (all attempts, waits, the secondary-credential retry and any OAuth fetch):
/// <see cref="DynatraceOptions.RequestDeadline"/> (8 s, which suits the inline webhook path).
/// </summary>
public static class DynatraceDeadline
{
    internal static long Start(TimeProvider time, TimeSpan budget) =>
        time.GetTimestamp() + (long)(budget.TotalSeconds * time.TimestampFrequency);
}
