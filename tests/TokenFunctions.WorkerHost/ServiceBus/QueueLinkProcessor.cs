using Amqp;
using Amqp.Framing;
using Amqp.Listener;
using Amqp.Types;

namespace TokenFunctions.WorkerHost.ServiceBus;

/// <summary>Attaches senders and receivers to the queue their address names; an unknown entity is <c>amqp:not-found</c>.</summary>
internal sealed class QueueLinkProcessor(AmqpBroker broker) : ILinkProcessor
{
    public void Process(AttachContext attachContext)
    {
        var attach = attachContext.Attach;

        // Role true: the peer receives, so the broker sends from the source address; false: the peer sends to the target.
        var address = attach.Role ? (attach.Source as Source)?.Address : (attach.Target as Target)?.Address;
        if (broker.Find(address) is not { } queue)
        {
            attachContext.Complete(new Error((Symbol)"amqp:not-found") { Description = $"The messaging entity '{address}' could not be found." });
            return;
        }

        if (attach.Role)
        {
            var endpoint = new QueueSendEndpoint(queue, attachContext.Link, broker.Gate);
            queue.Attach(endpoint);
            attachContext.Complete(endpoint, 0);
        }
        else
        {
            attachContext.Complete(new TargetLinkEndpoint(new QueueReceiveProcessor(queue, broker.MaxMessageSize), attachContext.Link), 100);
        }
    }
}
