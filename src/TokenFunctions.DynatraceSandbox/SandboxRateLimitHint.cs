namespace TokenFunctions.DynatraceSandbox;

/// <summary>Which header, if any, a rate-limited 429 carries to say when to come back.</summary>
public enum SandboxRateLimitHint
{
    /// <summary>No header: what current Dynatrace SaaS does (the X-RateLimit headers were dropped in 1.210).</summary>
    None = 0,

    /// <summary><c>Retry-After: &lt;seconds&gt;</c>, rounded up.</summary>
    RetryAfter,

    /// <summary><c>X-RateLimit-Reset: &lt;epoch microseconds&gt;</c>, as the Managed docs describe.</summary>
    RateLimitReset,
}
