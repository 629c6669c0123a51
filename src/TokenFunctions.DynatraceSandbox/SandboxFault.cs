using System.Net;

namespace TokenFunctions.DynatraceSandbox;

/// <summary>One injected misbehaviour. Build with the static factories.</summary>
public sealed record SandboxFault
{
    public SandboxFaultKind Kind { get; init; }

    public int StatusCode { get; init; }

    /// <summary>Extra response headers sent verbatim (e.g. a hand-written <c>Retry-After</c>).</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>Sent as <c>Retry-After: &lt;seconds&gt;</c> (rounded up).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Sent as <c>Retry-After: &lt;HTTP-date&gt;</c> this far after the sandbox clock's now.</summary>
    public TimeSpan? RetryAfterAsDate { get; init; }

    /// <summary>Sent as <c>X-RateLimit-Reset</c>: the sandbox clock's now plus this, as an epoch number in <see cref="ResetUnit"/>.</summary>
    public TimeSpan? RateLimitResetIn { get; init; }

    public RateLimitResetUnit ResetUnit { get; init; }

    /// <summary>For <see cref="SandboxFaultKind.Delay"/>.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Send no body (some Dynatrace errors have none).</summary>
    public bool EmptyBody { get; init; }

    public static SandboxFault Status(int statusCode, bool emptyBody = false) =>
        new() { Kind = SandboxFaultKind.Status, StatusCode = statusCode, EmptyBody = emptyBody };

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

    public static SandboxFault Hang { get; } = new() { Kind = SandboxFaultKind.Hang };

    public static SandboxFault Reset { get; } = new() { Kind = SandboxFaultKind.Reset };

    public static SandboxFault Latency(TimeSpan delay) => new() { Kind = SandboxFaultKind.Delay, Delay = delay };
}
