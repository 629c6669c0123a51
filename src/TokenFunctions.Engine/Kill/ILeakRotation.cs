namespace TokenFunctions.Engine.Kill;

/// <summary>
/// Called after a leaked token is disabled: when the token is a managed credential, a replacement is created and
/// stored in Key Vault. Returns where the replacement is and whom to tell, or null when the token is not managed (or Key
/// Vault could not say). The kill owns this port and Rotation implements it, so the dependency runs one way.
/// </summary>
public interface ILeakRotation
{
    Task<LeakReplacement?> ReplaceLeakedAsync(TokenOutcome disabled, string correlationId, CancellationToken cancellationToken);
}
