using TokenFunctions.Engine.KeyVault;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Dynatrace;

/// <summary>The configured environments and accounts, as Key Vault's managed-credential index asks for them.</summary>
public sealed class DirectoryTargets(IDynatraceDirectory directory) : IConfiguredTargets
{
    public bool IsConfigured(TokenKind kind, string name) =>
        kind == TokenKind.ClassicApiToken
            ? directory.Environments.Any(e => string.Equals(e.Environment.Name, name, StringComparison.Ordinal))
            : directory.Accounts.Any(a => string.Equals(a.Account.Name, name, StringComparison.Ordinal));
}
