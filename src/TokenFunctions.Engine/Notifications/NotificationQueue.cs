using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace TokenFunctions.Engine.Notifications;

/// <summary>The in-process hand-off between callers (revocations) and <see cref="NotificationDispatcher"/>. Bounded; writing never waits.</summary>
public sealed class NotificationQueue
{
    private readonly Channel<IncidentSummary> _channel;

    public NotificationQueue(IOptions<NotificationOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _channel = Channel.CreateBounded<IncidentSummary>(new BoundedChannelOptions(options.Value.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    public int Count => _channel.Reader.Count;

    internal ChannelReader<IncidentSummary> Reader => _channel.Reader;

    /// <summary>False when the queue is full; never blocks.</summary>
    public bool TryEnqueue(IncidentSummary summary) => _channel.Writer.TryWrite(summary);
}
