namespace TokenFunctions.Engine.KeyVault;

/// <summary>The index plus what the rotation timers need: every managed credential, and every secret whose tags are wrong.</summary>
public interface IManagedCredentialCatalog : IManagedCredentialIndex
{
    /// <summary>The cached listing, or a fresh one when <paramref name="refresh"/> is set or the cache has aged out.</summary>
    Task<ManagedCredentialSnapshot> GetSnapshotAsync(bool refresh, CancellationToken cancellationToken);

    /// <summary>Forget the cached listing (after a rotation wrote a new version).</summary>
    void Invalidate();
}
