namespace TokenFunctions.SandboxKit;

/// <summary>
/// One injected misbehaviour: what every sandbox's fault has. Each sandbox derives its own record (its extra headers,
/// its named factories) and builds faults with the static factories, which return that record.
/// </summary>
public abstract record InjectedFault<TSelf>
    where TSelf : InjectedFault<TSelf>, new()
{
    public FaultKind Kind { get; init; }

    public int StatusCode { get; init; }

    /// <summary>Sent as <c>Retry-After: &lt;seconds&gt;</c> (rounded up) with a <see cref="FaultKind.Status"/> fault.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>For <see cref="FaultKind.Delay"/>.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Held until the client's timeout or cancellation ends it (or the sandbox stops); then the connection is dropped.</summary>
    public static TSelf Hang { get; } = new() { Kind = FaultKind.Hang };

    /// <summary>An unreachable service as the client sees it mid-request: the connection is dropped.</summary>
    public static TSelf Reset { get; } = new() { Kind = FaultKind.Reset };

    /// <summary>Answer <paramref name="statusCode"/> with the service's error body.</summary>
    public static TSelf Status(int statusCode) => new() { Kind = FaultKind.Status, StatusCode = statusCode };

    /// <summary>Added round-trip time (real time, e.g. for benchmarks); the request is then handled.</summary>
    public static TSelf Latency(TimeSpan delay) => new() { Kind = FaultKind.Delay, Delay = delay };
}
