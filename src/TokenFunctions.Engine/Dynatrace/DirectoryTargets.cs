using TokenFunctions.Engine.Dynatrace.Targets;
using TokenFunctions.Engine.KeyVault;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Dynatrace;

/// <summary>The configured environments and accounts, as Key Vault's managed-credential index asks for them.</summary>
public sealed class DirectoryTargets(IDynatraceDirectory directory) : IConfiguredTargets
{
    public bool IsConfigured(TokenKind kind, string name) =>
        directory.TargetsFor(kind).Any(t => string.Equals(t.Name, name, StringComparison.Ordinal));
}
