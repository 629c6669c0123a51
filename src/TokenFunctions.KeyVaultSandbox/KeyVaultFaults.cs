using TokenFunctions.SandboxKit;

namespace TokenFunctions.KeyVaultSandbox;

/// <summary>
/// The sandbox's injected faults, changeable at runtime from a test (the shared schedule: latency, queued one-shot
/// faults before the persistent one). A fault without an operation applies to every vault operation but not to the
/// managed-identity endpoint (a vault outage leaves the identity endpoint up); name
/// <see cref="KeyVaultOperation.ManagedIdentityToken"/> to fault that one. Checked before authentication, so a fault
/// also meets the unauthenticated first request of a new client, as a network fault would.
/// </summary>
public sealed class KeyVaultFaults : FaultSchedule<KeyVaultFault, KeyVaultOperation>
{
    protected override bool CoversUntargeted(KeyVaultOperation target) => target != KeyVaultOperation.ManagedIdentityToken;
}
