namespace TokenFunctions.Engine.KeyVault;

/// <summary>A secret that tries to be a managed credential but cannot be one as tagged; the errors say what to fix.</summary>
public sealed record CredentialProblem(string SecretName, IReadOnlyList<string> Errors)
{
    public override string ToString() => $"{SecretName}: {string.Join("; ", Errors)}";
}
