namespace TokenFunctions.Engine.KeyVault;

/// <summary>
/// Told when rotation wrote a new current version of a secret (or restored an old value). Whatever caches a secret's
/// value, such as the credential provider behind the Dynatrace clients, implements this so the app uses the new token
/// from its next call on: after a self-rotation the app must never keep authenticating with the token it just retired.
/// </summary>
public interface ISecretRotationListener
{
    ValueTask SecretChangedAsync(string secretName, CancellationToken cancellationToken);
}
