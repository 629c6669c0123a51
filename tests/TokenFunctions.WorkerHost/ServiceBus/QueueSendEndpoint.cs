using Amqp;
using Amqp.Framing;
using Amqp.Listener;
using Amqp.Types;

namespace TokenFunctions.WorkerHost.ServiceBus;

/// <summary>
/// The broker's end of a receiver's link: tracks the receiver's credit (drain included), and maps the receiver's
/// dispositions to settlements the way Service Bus does: accepted = complete, modified = abandon (or defer when
/// undeliverable-here) with the properties to modify, rejected with <c>com.microsoft:dead-letter</c> = dead-letter with
/// <c>DeadLetterReason</c> / <c>DeadLetterErrorDescription</c>, released = unlock. A settlement on a lost lock is answered
/// with <c>com.microsoft:message-lock-lost</c>.
/// </summary>
internal sealed class QueueSendEndpoint(BrokerQueue queue, ListenerLink link, object gate) : LinkEndpoint
{
    public ListenerLink Link { get; } = link;

    /// <summary>Guarded by the broker's lock; mirrors the link's own credit accounting.</summary>
    public int Credit { get; set; }

    public override void OnFlow(FlowContext flowContext)
    {
        lock (gate)
        {
            // The link reports the change of the receiver's limit; zero or less means the receiver reduced its credit.
            Credit = flowContext.Messages > 0 ? Credit + flowContext.Messages : flowContext.Messages < 0 ? 0 : Credit;
        }

        queue.Pump();
    }

    // Confirming a disposition changes the delivery's state, which the link reports back here on the same thread.
    [ThreadStatic]
    private static bool t_confirming;

    public override void OnDisposition(DispositionContext dispositionContext)
    {
        if (t_confirming)
        {
            return;
        }

        var message = dispositionContext.Message;
        var state = dispositionContext.DeliveryState;
        var result = BrokerQueue.LockTokenOf(message) is not { } token
            ? SettleResult.LockLost
            : state switch
            {
                Accepted => queue.Complete(token),
                Modified { UndeliverableHere: true } modified => queue.Defer(token, AmqpValues.ToDictionary(modified.MessageAnnotations)),
                Modified modified => queue.Abandon(token, AmqpValues.ToDictionary(modified.MessageAnnotations)),
                Rejected rejected => DeadLetter(token, rejected.Error),
                _ => queue.Release(token),
            };

        if (!dispositionContext.Settled)
        {
            var outcome = result == SettleResult.LockLost
                ? new Rejected { Error = new Error((Symbol)"com.microsoft:message-lock-lost") { Description = "The lock supplied is invalid. Either the lock expired, or the message has already been removed from the queue." } }
                : state is Rejected ? new Rejected() : state; // a rejected outcome with an error reads as a failed settlement
            t_confirming = true;
            try
            {
                dispositionContext.Link.DisposeMessage(message, outcome, true);
            }
            finally
            {
                t_confirming = false;
            }
        }
    }

    public override void OnLinkClosed(ListenerLink link, Error error) => queue.Detach(this);

    private SettleResult DeadLetter(Guid token, Error? error)
    {
        var info = AmqpValues.ToDictionary(error?.Info);
        var reason = info.Remove("DeadLetterReason", out var r) ? r as string : null;
        var description = info.Remove("DeadLetterErrorDescription", out var d) ? d as string : null;
        return queue.DeadLetter(token, reason, description, info);
    }
}
