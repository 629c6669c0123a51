namespace TokenFunctions.Engine.Rotation.Jobs;

/// <summary>
/// What every timer run starts with: the id its report carries, when it started, and the correlation id
/// (<c>{source}/{runId}</c>) that its audit records and the rotations it starts share.
/// </summary>
internal readonly record struct JobRun(string RunId, DateTimeOffset StartedAt, string CorrelationId)
{
    public static JobRun Start(string source, TimeProvider timeProvider)
    {
        var runId = Guid.NewGuid().ToString("N");
        return new JobRun(runId, timeProvider.GetUtcNow(), $"{source}/{runId}");
    }
}
