using TokenFunctions.SandboxKit;

namespace TokenFunctions.DynatraceSandbox;

/// <summary>
/// The faults of one environment, one account, or the SSO endpoint, changeable at runtime from a test: the shared
/// schedule (latency, queued one-shot faults, persistent fault) plus Dynatrace's rate limit, checked after the latency
/// and before the queued faults. A fault without an endpoint meets every endpoint.
/// </summary>
public sealed class SandboxFaults : FaultSchedule<SandboxFault, SandboxEndpoint>
{
    private TokenBucket? _bucket;
    private SandboxRateLimitHint _bucketHint;

    protected override bool HasThrottle => _bucket is not null;

    /// <summary>A token bucket of <paramref name="permitsPerSecond"/> with <paramref name="burst"/> saved up; excess requests get 429.</summary>
    public SandboxFaults SetRateLimit(double permitsPerSecond, int burst = 1, SandboxRateLimitHint hint = SandboxRateLimitHint.None)
    {
        var bucket = new TokenBucket(permitsPerSecond, burst);
        Change(() =>
        {
            _bucket = bucket;
            _bucketHint = hint;
        });
        return this;
    }

    public SandboxFaults ClearRateLimit()
    {
        Change(ClearThrottle);
        return this;
    }

    protected override SandboxFault? Throttle()
    {
        if (_bucket is null || _bucket.TryTake(out var wait))
        {
            return null;
        }

        return _bucketHint switch
        {
            SandboxRateLimitHint.RetryAfter => SandboxFault.TooManyRequests(wait),
            SandboxRateLimitHint.RateLimitReset => SandboxFault.TooManyRequestsWithReset(wait),
            _ => SandboxFault.TooManyRequests(),
        };
    }

    protected override void ClearThrottle() => _bucket = null;
}
