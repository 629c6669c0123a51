namespace TokenFunctions.DynatraceSandbox;

/// <summary>A token the sandbox holds: its public id and its secret, for the test to authenticate with or to "leak".</summary>
public sealed record SandboxIssuedToken(string Id, string Secret)
{
    /// <summary>Never the secret, so a test that prints the record cannot leak it into its output.</summary>
    public override string ToString() => Id + ".***";
}
