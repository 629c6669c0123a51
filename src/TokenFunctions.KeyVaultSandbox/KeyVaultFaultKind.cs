namespace TokenFunctions.KeyVaultSandbox;

public enum KeyVaultFaultKind
{
    /// <summary>Answer with a status code and Key Vault's error envelope instead of handling the request.</summary>
    Status = 0,

    /// <summary>Never answer: hold the request until the client gives up (or the sandbox stops), then drop the connection.</summary>
    Hang,

    /// <summary>Drop the connection without a response (the client sees a connection reset).</summary>
    Reset,

    /// <summary>Wait <see cref="KeyVaultFault.Delay"/> (real time), then handle the request normally.</summary>
    Delay,
}
