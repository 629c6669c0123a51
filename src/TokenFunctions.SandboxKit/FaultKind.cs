namespace TokenFunctions.SandboxKit;

/// <summary>What an injected fault does to the request it meets.</summary>
public enum FaultKind
{
    /// <summary>Answer with a status code (and the service's error body) instead of handling the request.</summary>
    Status = 0,

    /// <summary>Never answer: hold the request until the client gives up (or the sandbox stops), then drop the connection.</summary>
    Hang,

    /// <summary>Drop the connection without a response (the client sees a connection reset).</summary>
    Reset,

    /// <summary>Wait <see cref="InjectedFault{TSelf}.Delay"/> (real time), then handle the request normally.</summary>
    Delay,
}
