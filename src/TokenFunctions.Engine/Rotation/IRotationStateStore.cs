namespace TokenFunctions.Engine.Rotation;

/// <summary>
/// Durable rotation state with optimistic concurrency. A lease is just two columns of the credential's row, taken and
/// renewed with ETag-conditional writes, so taking the lock and recording the step are one atomic write.
/// </summary>
public interface IRotationStateStore
{
    Task<CredentialState?> GetAsync(string secretName, CancellationToken cancellationToken);

    Task<IReadOnlyList<CredentialState>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Takes the credential's lease for <paramref name="holder"/> until <paramref name="leaseUntil"/>, creating the row if
    /// needed. Null when another holder's lease is still live or another caller won the race.
    /// </summary>
    Task<CredentialState?> TryAcquireAsync(string secretName, string holder, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="state"/> if the row still has <see cref="CredentialState.ETag"/>; null when it changed (lease lost).</summary>
    Task<CredentialState?> SaveAsync(CredentialState state, CancellationToken cancellationToken);
}
