using TokenFunctions.Engine.Dynatrace;

namespace TokenFunctions.Engine.Secrets;

/// <summary>
/// Forwards rotation notices to the registered <see cref="ICredentialProvider"/> when it caches secrets and says so by
/// implementing <see cref="ISecretRotationListener"/>; otherwise does nothing (a provider without a cache reads the
/// newest version every time anyway).
/// </summary>
public sealed class CredentialProviderRotationListener : ISecretRotationListener
{
    private readonly ICredentialProvider? _provider;

    public CredentialProviderRotationListener(ICredentialProvider? provider = null) => _provider = provider;

    public ValueTask SecretChangedAsync(string secretName, CancellationToken cancellationToken) =>
        _provider is ISecretRotationListener listener ? listener.SecretChangedAsync(secretName, cancellationToken) : ValueTask.CompletedTask;
}
