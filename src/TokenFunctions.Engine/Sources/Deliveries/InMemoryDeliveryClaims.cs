namespace TokenFunctions.Engine.Sources.Deliveries;

/// <summary>Process-local delivery claims for unit tests and single-instance local runs; same semantics as the table one.</summary>
public sealed class InMemoryDeliveryClaims(TimeProvider timeProvider) : IDeliveryClaims
{
    private readonly Dictionary<(string, string), Entry> _entries = [];
    private readonly Lock _gate = new();
    private long _version;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public Task<DeliveryClaim> ClaimAsync(string source, string key, TimeSpan lease, TimeSpan retention, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var id = (source, DeliveryKey.Encode(key));
        lock (_gate)
        {
            var attempt = 1;
            if (_entries.TryGetValue(id, out var existing) && existing.RetainUntil > now)
            {
                if (existing.Completed)
                {
                    return Task.FromResult(new DeliveryClaim(ClaimStatus.AlreadyCompleted, source, key, existing.RetainUntil));
                }

                if (existing.LeaseUntil > now)
                {
                    return Task.FromResult(new DeliveryClaim(ClaimStatus.InProgress, source, key, existing.RetainUntil));
                }

                attempt = existing.Attempt + 1;
            }

            var entry = new Entry(false, now + lease, now + retention, attempt, (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture));
            _entries[id] = entry;
            return Task.FromResult(new DeliveryClaim(ClaimStatus.Claimed, source, key, entry.RetainUntil, entry.Version) { Attempt = attempt });
        }
    }

    public Task CompleteAsync(DeliveryClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        lock (_gate)
        {
            var id = (claim.Source, DeliveryKey.Encode(claim.Key));
            var attempt = _entries.TryGetValue(id, out var existing) ? existing.Attempt : claim.Attempt;
            _entries[id] = new Entry(true, DateTimeOffset.MaxValue, claim.RetainUntil, attempt, (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return Task.CompletedTask;
    }

    public Task ReleaseAsync(DeliveryClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        lock (_gate)
        {
            var id = (claim.Source, DeliveryKey.Encode(claim.Key));
            if (_entries.TryGetValue(id, out var existing) && existing.Version == claim.Handle)
            {
                _entries.Remove(id);
            }
        }

        return Task.CompletedTask;
    }

    private sealed record Entry(bool Completed, DateTimeOffset LeaseUntil, DateTimeOffset RetainUntil, int Attempt, string Version);
}
