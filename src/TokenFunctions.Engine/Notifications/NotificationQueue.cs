using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Primitives;

namespace TokenFunctions.Engine.Notifications;

/// <summary>The in-process hand-off between callers (revocations) and <see cref="NotificationDispatcher"/>. Bounded; writing never waits.</summary>
public sealed class NotificationQueue(IOptions<NotificationOptions> options) : BoundedQueue<IncidentSummary>(Capacity(options))
{
    /// <summary>False when the queue is full; never blocks.</summary>
    public bool TryEnqueue(IncidentSummary summary) => TryWrite(summary);

    private static int Capacity(IOptions<NotificationOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Value.QueueCapacity;
    }
}
