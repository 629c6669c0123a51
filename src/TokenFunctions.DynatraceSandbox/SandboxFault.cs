using System.Net;
using TokenFunctions.SandboxKit;

namespace TokenFunctions.DynatraceSandbox;

/// <summary>
/// One injected misbehaviour of Dynatrace. Build with the static factories: <c>Status</c>, <c>Hang</c>, <c>Reset</c> and
/// <c>Latency</c> (shared by every sandbox) and the rate-limit answers below, which are Dynatrace's own.
/// </summary>
public sealed record SandboxFault : InjectedFault<SandboxFault>
{
    /// <summary>Extra response headers sent verbatim (e.g. a hand-written <c>Retry-After</c>).</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>Sent as <c>Retry-After: &lt;HTTP-date&gt;</c> this far after the sandbox clock's now.</summary>
    public TimeSpan? RetryAfterAsDate { get; init; }

    /// <summary>Sent as <c>X-RateLimit-Reset</c>: the sandbox clock's now plus this, as an epoch number in <see cref="ResetUnit"/>.</summary>
    public TimeSpan? RateLimitResetIn { get; init; }

    public RateLimitResetUnit ResetUnit { get; init; }

    /// <summary>Send no body (some Dynatrace errors have none).</summary>
    public bool EmptyBody { get; init; }

    public static SandboxFault Status(int statusCode, bool emptyBody) => Status(statusCode) with { EmptyBody = emptyBody };

    public static SandboxFault Status(HttpStatusCode statusCode) => Status((int)statusCode);

    /// <summary>A 429 without any hint header.</summary>
    public static SandboxFault TooManyRequests() => Status(429);

    /// <summary>A 429 with <c>Retry-After: &lt;seconds&gt;</c>.</summary>
    public static SandboxFault TooManyRequests(TimeSpan retryAfter) => Status(429) with { RetryAfter = retryAfter };

    /// <summary>A 429 with <c>Retry-After: &lt;HTTP-date&gt;</c>.</summary>
    public static SandboxFault TooManyRequestsUntilDate(TimeSpan retryAfter) => Status(429) with { RetryAfterAsDate = retryAfter };

    /// <summary>A 429 with <c>X-RateLimit-Reset</c> in the given epoch unit.</summary>
    public static SandboxFault TooManyRequestsWithReset(TimeSpan resetIn, RateLimitResetUnit unit = RateLimitResetUnit.Microseconds) =>
        Status(429) with { RateLimitResetIn = resetIn, ResetUnit = unit };
}
