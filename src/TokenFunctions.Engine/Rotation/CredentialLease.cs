using Azure;

namespace TokenFunctions.Engine.Rotation;

/// <summary>
/// A held credential row. Every save is conditional on the ETag this holder last saw and renews the lease, so a holder
/// that was too slow and lost the row to a later run learns it on its next write and stops, instead of both acting.
/// Each step saves before its side effects, and no step takes longer than a fraction of the lease.
/// </summary>
internal sealed class CredentialLease
{
    private readonly IRotationStateStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _duration;

    private CredentialLease(IRotationStateStore store, TimeProvider timeProvider, TimeSpan duration, CredentialState state)
    {
        _store = store;
        _timeProvider = timeProvider;
        _duration = duration;
        State = state;
    }

    public CredentialState State { get; private set; }

    public bool Lost { get; private set; }

    public static async Task<CredentialLease?> TryAcquireAsync(
        IRotationStateStore store, TimeProvider timeProvider, TimeSpan duration, string secretName, CancellationToken cancellationToken)
    {
        var holder = Guid.NewGuid().ToString("N");
        var state = await store.TryAcquireAsync(secretName, holder, timeProvider.GetUtcNow() + duration, cancellationToken).ConfigureAwait(false);
        return state is null ? null : new CredentialLease(store, timeProvider, duration, state);
    }

    /// <summary>False when the row changed under us: the lease is lost and the caller must stop acting.</summary>
    public async Task<bool> SaveAsync(Func<CredentialState, CredentialState> change, CancellationToken cancellationToken)
    {
        if (Lost)
        {
            return false;
        }

        var next = change(State) with
        {
            SecretName = State.SecretName,
            ETag = State.ETag,
            LeaseHolder = State.LeaseHolder,
            LeaseUntil = _timeProvider.GetUtcNow() + _duration,
        };
        var saved = await _store.SaveAsync(next, cancellationToken).ConfigureAwait(false);
        if (saved is null)
        {
            Lost = true;
            return false;
        }

        State = saved;
        return true;
    }

    /// <summary>Best effort: a lease that cannot be released simply expires.</summary>
    public async Task ReleaseAsync()
    {
        if (Lost)
        {
            return;
        }

        try
        {
            var saved = await _store.SaveAsync(State with { LeaseHolder = null, LeaseUntil = null }, CancellationToken.None).ConfigureAwait(false);
            Lost = true;
            if (saved is not null)
            {
                State = saved;
            }
        }
        catch (RequestFailedException)
        {
            Lost = true;
        }
    }
}
