namespace TokenFunctions.KeyVaultSandbox;

/// <summary>
/// One request the sandbox received, as recorded in <see cref="KeyVaultSandbox.Requests"/>: never a secret value, a
/// bearer token or the identity header. <see cref="StatusCode"/> is 0 when a fault dropped the connection;
/// <see cref="Fault"/> names the injected fault, if any; <see cref="Authenticated"/> is false for the unauthenticated
/// first request that draws the bearer challenge.
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
    KeyVaultFaultKind? Fault);
