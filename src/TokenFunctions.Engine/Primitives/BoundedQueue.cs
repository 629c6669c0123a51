using System.Threading.Channels;

namespace TokenFunctions.Engine.Primitives;

/// <summary>
/// An in-memory hand-off between the callers that produce work and the one background service that drains it.
/// Bounded, so an outage downstream cannot exhaust memory, and writing never waits: each subclass says what happens to
/// what does not fit.
/// </summary>
public abstract class BoundedQueue<T>
{
    private readonly Channel<T> _channel;

    protected BoundedQueue(int capacity)
    {
        _channel = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    public int Count => _channel.Reader.Count;

    internal ChannelReader<T> Reader => _channel.Reader;

    /// <summary>False when the queue is full; never blocks.</summary>
    protected bool TryWrite(T item) => _channel.Writer.TryWrite(item);
}
