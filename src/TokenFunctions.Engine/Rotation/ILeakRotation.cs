using TokenFunctions.Engine.KillSwitch;

namespace TokenFunctions.Engine.Rotation;

/// <summary>
/// Called by the kill-switch after a leaked token is disabled: when the token is a managed credential, a replacement is
/// created and stored in Key Vault. Returns where the replacement is (Key Vault secret id), or null when not managed.
/// </summary>
public interface ILeakRotation
{
    Task<string?> ReplaceLeakedAsync(TokenOutcome disabled, string correlationId, CancellationToken cancellationToken);
}
