namespace TokenFunctions.Engine.Incidents;

/// <summary>What an <see cref="IIncidentFollowUp"/> achieved: done (or nothing to do), or not yet and worth retrying.</summary>
public sealed record FollowUpResult
{
    private FollowUpResult(string? retryReason) => RetryReason = retryReason;

    public static FollowUpResult Done { get; } = new((string?)null);

    /// <summary>Secret-free: why it must run again (it becomes the abandon reason, or the dead-letter description).</summary>
    public string? RetryReason { get; }

    public bool ShouldRetry => RetryReason is not null;

    public static FollowUpResult Retry(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new(reason);
    }
}
