using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Primitives;

namespace TokenFunctions.Engine.Audit;

/// <summary>
/// Records the store could not take, waiting in memory for <see cref="AuditRetryService"/>. Bounded, so an outage
/// cannot exhaust memory; a record that does not fit survives only in the fallback log line.
/// </summary>
public sealed class AuditRetryBuffer(IOptions<AuditOptions> options) : BoundedQueue<AuditRecord>(Capacity(options))
{
    /// <summary>Adds what fits without waiting; returns the records that did not fit.</summary>
    public IReadOnlyList<AuditRecord> TryAdd(IEnumerable<AuditRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        List<AuditRecord>? rejected = null;
        foreach (var record in records)
        {
            if (!TryWrite(record))
            {
                (rejected ??= []).Add(record);
            }
        }

        return rejected ?? (IReadOnlyList<AuditRecord>)[];
    }

    private static int Capacity(IOptions<AuditOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Value.RetryBufferCapacity;
    }
}
