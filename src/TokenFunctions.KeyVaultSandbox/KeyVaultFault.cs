using TokenFunctions.SandboxKit;

namespace TokenFunctions.KeyVaultSandbox;

/// <summary>
/// One injected misbehaviour of the vault (or of the managed-identity endpoint). Build with the static factories:
/// <c>Status</c>, <c>Hang</c>, <c>Reset</c> and <c>Latency</c> (shared by every sandbox) and the vault's own below.
/// </summary>
public sealed record KeyVaultFault : InjectedFault<KeyVaultFault>
{
    /// <summary>503 <c>ServiceUnavailable</c>: the vault is up but refuses (the SDK retries it).</summary>
    public static KeyVaultFault Unavailable { get; } = Status(503);

    /// <summary>429 <c>Throttled</c> with <c>Retry-After</c>.</summary>
    public static KeyVaultFault Throttled(TimeSpan retryAfter) => Status(429) with { RetryAfter = retryAfter };
}
