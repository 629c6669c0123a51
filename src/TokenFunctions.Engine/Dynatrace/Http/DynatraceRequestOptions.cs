namespace TokenFunctions.Engine.Dynatrace.Http;

/// <summary>Per-request facts the resilience pipeline reads back from <see cref="HttpRequestMessage.Options"/>.</summary>
internal static class DynatraceRequestOptions
{
    /// <summary>The operation's deadline as a <see cref="TimeProvider"/> timestamp: all attempts and waits must end by then.</summary>
    public static readonly HttpRequestOptionsKey<long> Deadline = new("TokenFunctions.Dynatrace.Deadline");

    /// <summary>False for creates: a timeout or 5xx may have created the token already, so only a 429 is retried.</summary>
    public static readonly HttpRequestOptionsKey<bool> Idempotent = new("TokenFunctions.Dynatrace.Idempotent");

    public static readonly HttpRequestOptionsKey<AttemptLog> Attempts = new("TokenFunctions.Dynatrace.Attempts");
}

/// <summary>What the retries saw, for an actionable <see cref="DynatraceStatus.Transient"/> message.</summary>
internal sealed class AttemptLog
{
    private int _retries;

    public int Retries => _retries;

    public string? LastFailure { get; private set; }

    public void Retried(string failure)
    {
        Interlocked.Increment(ref _retries);
        LastFailure = failure;
    }
}
