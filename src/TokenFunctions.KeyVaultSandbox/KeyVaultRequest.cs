using TokenFunctions.SandboxKit;

namespace TokenFunctions.KeyVaultSandbox;

/// <summary>
/// One request the sandbox received, as recorded in <see cref="KeyVaultSandbox.Requests"/>: never a secret value, a
/// bearer token or the identity header. <see cref="StatusCode"/> is 499 ("client closed request") when no answer went
/// out: a fault dropped the connection, or the client left (or the sandbox stopped) during an injected wait; nothing was
/// applied then. <see cref="Fault"/> names the injected fault that took the request, if any (<see cref="FaultKind.Delay"/>
/// for a latency the client did not wait out); <see cref="Authenticated"/> is false for the unauthenticated first
/// request that draws the bearer challenge.
/// </summary>
public sealed record KeyVaultRequest(
    KeyVaultOperation Operation,
    string Method,
    string Path,
    string Query,
    string? SecretName,
    string? Version,
    bool Authenticated,
    int StatusCode,
    FaultKind? Fault);
