namespace TokenFunctions.KeyVaultSandbox;

/// <summary>One injected misbehaviour of the vault (or of the managed-identity endpoint). Build with the static factories.</summary>
public sealed record KeyVaultFault
{
    public KeyVaultFaultKind Kind { get; init; }

    public int StatusCode { get; init; }

    /// <summary>Sent as <c>Retry-After: &lt;seconds&gt;</c> (rounded up) with a <see cref="KeyVaultFaultKind.Status"/> fault.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>For <see cref="KeyVaultFaultKind.Delay"/>.</summary>
    public TimeSpan Delay { get; init; }

    public static KeyVaultFault Status(int statusCode) => new() { Kind = KeyVaultFaultKind.Status, StatusCode = statusCode };

    /// <summary>503 <c>ServiceUnavailable</c>: the vault is up but refuses (the SDK retries it).</summary>
    public static KeyVaultFault Unavailable { get; } = Status(503);

    /// <summary>429 <c>Throttled</c> with <c>Retry-After</c>.</summary>
    public static KeyVaultFault Throttled(TimeSpan retryAfter) => Status(429) with { RetryAfter = retryAfter };

    /// <summary>A slow vault: the request is held until the client's timeout or cancellation ends it.</summary>
    public static KeyVaultFault Hang { get; } = new() { Kind = KeyVaultFaultKind.Hang };

    /// <summary>An unreachable vault as the client sees it mid-request: the connection is dropped.</summary>
    public static KeyVaultFault Reset { get; } = new() { Kind = KeyVaultFaultKind.Reset };

    /// <summary>Added round-trip time (real time, e.g. for benchmarks); the request is then handled.</summary>
    public static KeyVaultFault Latency(TimeSpan delay) => new() { Kind = KeyVaultFaultKind.Delay, Delay = delay };
}
