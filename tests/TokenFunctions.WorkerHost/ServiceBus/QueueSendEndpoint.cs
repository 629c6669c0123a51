using System.Threading.Channels;
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
/// <remarks>
/// Deliveries and drain answers leave through one loop per link, in the order the queue decided them under its lock: a
/// drain answered from one thread while another was still sending a delivery counted against the same credit would put
/// the receiver's and the broker's credit out of step for good.
/// </remarks>
internal sealed class QueueSendEndpoint : LinkEndpoint
{
    private readonly BrokerQueue _queue;
    private readonly object _gate;
    private readonly Channel<(Message? Message, BrokerMessage? Stored, int DrainUnused)> _outgoing =
        Channel.CreateUnbounded<(Message?, BrokerMessage?, int)>(new UnboundedChannelOptions { SingleReader = true });

    public QueueSendEndpoint(BrokerQueue queue, ListenerLink link, object gate)
    {
        _queue = queue;
        _gate = gate;
        Link = link;
        _ = Task.Run(SendLoopAsync);
    }

    public ListenerLink Link { get; }

    /// <summary>Guarded by the broker's lock; mirrors the link's own credit accounting.</summary>
    public int Credit { get; set; }

    /// <summary>Guarded by the broker's lock: a drain answer is queued and not yet sent.</summary>
    public bool DrainPending { get; set; }

    /// <summary>Under the broker's lock: a locked message to send, after everything queued before it.</summary>
    public void Send(Message message, BrokerMessage stored) => _outgoing.Writer.TryWrite((message, stored, 0));

    /// <summary>Under the broker's lock: answer the drain, after every delivery queued before it.</summary>
    public void AnswerDrain(int unusedCredit)
    {
        DrainPending = true;
        _outgoing.Writer.TryWrite((null, null, unusedCredit));
    }

    public override void OnFlow(FlowContext flowContext)
    {
        lock (_gate)
        {
            // The link reports the change of the receiver's limit; zero or less means the receiver reduced its credit.
            Credit = flowContext.Messages > 0 ? Credit + flowContext.Messages : flowContext.Messages < 0 ? 0 : Credit;
        }

        _queue.Pump();
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
                Accepted => _queue.Complete(token),
                Modified { UndeliverableHere: true } modified => _queue.Defer(token, AmqpValues.ToDictionary(modified.MessageAnnotations)),
                Modified modified => _queue.Abandon(token, AmqpValues.ToDictionary(modified.MessageAnnotations)),
                Rejected rejected => DeadLetter(token, rejected.Error),
                _ => _queue.Release(token),
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

    public override void OnLinkClosed(ListenerLink link, Error error)
    {
        _queue.Detach(this);
        _outgoing.Writer.TryComplete();
    }

    private SettleResult DeadLetter(Guid token, Error? error)
    {
        var info = AmqpValues.ToDictionary(error?.Info);
        var reason = info.Remove("DeadLetterReason", out var r) ? r as string : null;
        var description = info.Remove("DeadLetterErrorDescription", out var d) ? d as string : null;
        return _queue.DeadLetter(token, reason, description, info);
    }

    private async Task SendLoopAsync()
    {
        await foreach (var (message, stored, unused) in _outgoing.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (message is null)
            {
                DrainCompletion.Complete(Link, unused);
                lock (_gate)
                {
                    DrainPending = false;
                }

                continue;
            }

            try
            {
                // This loop is the only sender on the link's session, so a window that closed during this send was closed
                // by the race SessionWindowRepair describes, and is reopened before the next delivery could stall on it.
                var window = SessionWindowRepair.Read(Link.Session);
                Link.SendMessage(message);
                SessionWindowRepair.AfterSend(Link.Session, window);
            }
            catch (AmqpException)
            {
                // The link went away between the lock and the send: nothing was delivered, so nothing is counted.
                _queue.ReturnUnsent(stored!);
            }
        }
    }
}
