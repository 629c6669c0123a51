namespace TokenFunctions.Engine.Incidents;

/// <summary>
/// How long one delivery may work before saving progress and handing the rest to the redelivery. Measured with
/// <see cref="TimeProvider"/>, so tests advance a fake clock instead of sleeping.
/// </summary>
internal sealed class WorkBudget
{
    private readonly TimeProvider _time;
    private readonly long _start;

    public WorkBudget(TimeProvider time, TimeSpan budget)
    {
        _time = time;
        Budget = budget;
        _start = time.GetTimestamp();
    }

    public TimeSpan Budget { get; }

    public TimeSpan Elapsed => _time.GetElapsedTime(_start);

    public bool IsSpent => Elapsed >= Budget;
}
