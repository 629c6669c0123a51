using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace TokenFunctions.Engine.Audit;

/// <summary>
/// Records the store could not take, waiting in memory for <see cref="AuditRetryService"/>. Bounded, so an outage
/// cannot exhaust memory; a record that does not fit survives only in the fallback log line.
/// </summary>
public sealed class AuditRetryBuffer
{
    private readonly Channel<AuditRecord> _channel;

    public AuditRetryBuffer(IOptions<AuditOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _channel = Channel.CreateBounded<AuditRecord>(new BoundedChannelOptions(options.Value.RetryBufferCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    public int Count => _channel.Reader.Count;

    internal ChannelReader<AuditRecord> Reader => _channel.Reader;

    /// <summary>Adds what fits without waiting; returns the records that did not fit.</summary>
    public IReadOnlyList<AuditRecord> TryAdd(IEnumerable<AuditRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        List<AuditRecord>? rejected = null;
        foreach (var record in records)
        {
            if (!_channel.Writer.TryWrite(record))
            {
                (rejected ??= []).Add(record);
            }
        }

        return rejected ?? (IReadOnlyList<AuditRecord>)[];
    }
}
