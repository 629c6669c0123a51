namespace TokenFunctions.DynatraceSandbox;

public enum SandboxFaultKind
{
    /// <summary>Answer with a status code (and optional headers) instead of handling the request.</summary>
    Status = 0,

    /// <summary>Never answer: hold the request until the client gives up (or the sandbox stops).</summary>
    Hang,

    /// <summary>Abort the connection without a response (the client sees a connection reset).</summary>
    Reset,

    /// <summary>Wait <see cref="SandboxFault.Delay"/>, then handle the request normally.</summary>
    Delay,
}
