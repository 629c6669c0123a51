namespace TokenFunctions.Engine.Rotation.Jobs;

/// <summary>What one sweep run disabled and deleted.</summary>
public sealed record SweepReport(string RunId, DateTimeOffset StartedAt, IReadOnlyList<RetirementResult> Items, string? Error = null)
{
    public int Disabled => Items.Sum(i => i.Disabled);

    public int Deleted => Items.Sum(i => i.Deleted);

    public int Failed => Items.Sum(i => i.Failed);

    public int Busy => Items.Count(i => i.Busy);
}
