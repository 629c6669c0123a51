using System.Globalization;

namespace TokenFunctions.Engine.Rotation;

/// <summary>
/// Rotation state in process memory, with the same conditional-write semantics as the table store. For tests and
/// single-instance local runs only: a restart forgets every rotation in flight.
/// </summary>
public sealed class InMemoryRotationStateStore : IRotationStateStore
{
    private readonly Dictionary<string, CredentialState> _rows = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private long _etag;

    public InMemoryRotationStateStore(TimeProvider timeProvider) => _timeProvider = timeProvider;

    public Task<CredentialState?> GetAsync(string secretName, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_rows.GetValueOrDefault(secretName));
        }
    }

    public Task<IReadOnlyList<CredentialState>> ListAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<CredentialState>>(_rows.Values.OrderBy(r => r.SecretName, StringComparer.Ordinal).ToList());
        }
    }

    public Task<CredentialState?> TryAcquireAsync(string secretName, string holder, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var existing = _rows.GetValueOrDefault(secretName) ?? new CredentialState { SecretName = secretName };
            if (existing.IsLeasedAt(_timeProvider.GetUtcNow()) && existing.LeaseHolder != holder)
            {
                return Task.FromResult<CredentialState?>(null);
            }

            var leased = existing with { LeaseHolder = holder, LeaseUntil = leaseUntil, ETag = NextETag() };
            _rows[secretName] = leased;
            return Task.FromResult<CredentialState?>(leased);
        }
    }

    public Task<CredentialState?> SaveAsync(CredentialState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (_gate)
        {
            var existing = _rows.GetValueOrDefault(state.SecretName);
            if (existing is null || existing.ETag != state.ETag)
            {
                return Task.FromResult<CredentialState?>(null);
            }

            var saved = state with { ETag = NextETag() };
            _rows[state.SecretName] = saved;
            return Task.FromResult<CredentialState?>(saved);
        }
    }

    private string NextETag() => (++_etag).ToString(CultureInfo.InvariantCulture);
}
