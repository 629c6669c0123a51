namespace TokenFunctions.DynatraceSandbox;

/// <summary>
/// One request the sandbox answered, as recorded in <see cref="DynatraceSandbox.Requests"/>. <see cref="CallerId"/> is the
/// authenticating token's id or the OAuth client id, never a secret; <see cref="Elapsed"/> is real time since the sandbox started.
/// </summary>
public sealed record SandboxRequest(
    string Target,
    SandboxEndpoint Endpoint,
    string Method,
    string Path,
    string Query,
    string? CallerId,
    int StatusCode,
    TimeSpan Elapsed);
