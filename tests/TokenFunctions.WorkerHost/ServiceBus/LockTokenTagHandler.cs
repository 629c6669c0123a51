using Amqp.Framing;
using Amqp.Handler;

namespace TokenFunctions.WorkerHost.ServiceBus;

/// <summary>
/// Connection-level hooks: every outgoing delivery's tag is its 16-byte lock token (the client reads the lock token from
/// the tag), and every link attach advertises the broker's max message size (the client will not send without one).
/// </summary>
internal sealed class LockTokenTagHandler(long maxMessageSize) : IHandler
{
    public bool CanHandle(EventId id) => id is EventId.SendDelivery or EventId.LinkLocalOpen;

    public void Handle(Event protocolEvent)
    {
        switch (protocolEvent.Context)
        {
            case IDelivery delivery when protocolEvent.Id == EventId.SendDelivery && BrokerQueue.LockTokenOf(delivery.Message) is { } token:
                delivery.Tag = token.ToByteArray();
                break;
            case Attach attach when protocolEvent.Id == EventId.LinkLocalOpen:
                attach.MaxMessageSize = (ulong)maxMessageSize;
                break;
        }
    }
}
