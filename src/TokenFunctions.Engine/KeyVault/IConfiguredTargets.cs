using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.KeyVault;

/// <summary>
/// The Dynatrace targets this app is configured for, by name: a managed credential's <c>tf-target</c> tag must name
/// one. Key Vault owns this port and Dynatrace implements it (<c>DirectoryTargets</c>), so the dependency runs one way.
/// </summary>
public interface IConfiguredTargets
{
    /// <summary>True when an environment (classic tokens) or an account (platform tokens) of that name is configured.</summary>
    bool IsConfigured(TokenKind kind, string name);
}
