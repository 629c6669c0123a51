using System.Reflection;
using Amqp.Listener;

namespace TokenFunctions.WorkerHost.ServiceBus;

/// <summary>
/// Answers a receiver's drain the way AMQP 1.0 requires: the sender's delivery-count advances by the credit it did not
/// use, and its credit drops to zero. AMQPNetLite 2.5.x zeroes a <see cref="ListenerLink"/>'s credit when a flow leaves the
/// receiver's limit unchanged (<c>delta &lt;= 0</c> in <c>ListenerLink.OnFlow</c>), which is exactly what a drain request
/// for the same credit looks like; <see cref="ListenerLink.CompleteDrain"/> then advances by nothing, the client
/// (<c>ServiceBusReceiver</c> closing, or a receive that timed out) never sees its drain complete and its credit view
/// drifts from the broker's. So the broker restores the unused credit it tracks itself before completing the drain.
/// The field is private; if a later AMQPNetLite renames it, this fails loudly rather than hanging a client.
/// </summary>
internal static class DrainCompletion
{
    private static readonly FieldInfo CreditField = typeof(ListenerLink).GetField("credit", BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new MissingFieldException(nameof(ListenerLink), "credit");

    public static void Complete(ListenerLink link, int unusedCredit)
    {
        CreditField.SetValue(link, (uint)Math.Max(0, unusedCredit));
        link.CompleteDrain();
    }
}
