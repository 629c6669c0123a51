using System.Reflection;
using Amqp;

namespace TokenFunctions.WorkerHost.ServiceBus;

/// <summary>
/// Repairs a session's outgoing window after a race in AMQPNetLite 2.5.x that otherwise stops a receiver for good.
/// <c>Session.WriteDelivery</c> writes a transfer frame outside the session lock and only then increments
/// <c>nextOutgoingId</c>. A <c>ServiceBusReceiver</c> (prefetch 0) answers each message it gets with a flow for the
/// next one; when that flow is processed in between, <c>Session.OnFlow</c> computes the window as
/// <c>nextIncomingId + incomingWindow − nextOutgoingId</c> one transfer short, and because the client advertises an
/// incoming window of <see cref="uint.MaxValue"/>, one short is zero. Every later delivery on the session is then held
/// back until the client sends another flow, which it never does: it believes its credit is still outstanding. Seen in
/// CI as a delivery that was "sent", never arrived, and left the queue stuck until the test timed out.
/// The true window after the race is that zero minus one, modulo 2^32: <see cref="uint.MaxValue"/>. A window that was
/// open before the send and is exactly zero after it can only come from the race (a real client closing its window
/// to zero at that instant would have to advertise it), so only that case is repaired. The fields are private; if a later
/// AMQPNetLite renames them this fails loudly rather than hanging a client.
/// </summary>
internal static class SessionWindowRepair
{
    private static readonly FieldInfo WindowField = typeof(Session).GetField("outgoingWindow", BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new MissingFieldException(nameof(Session), "outgoingWindow");

    private static readonly PropertyInfo LockProperty = typeof(Session).GetProperty("ThisLock", BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new MissingMemberException(nameof(Session), "ThisLock");

    /// <summary>The session's outgoing window, read under its lock.</summary>
    public static uint Read(Session session)
    {
        lock (LockProperty.GetValue(session)!)
        {
            return (uint)WindowField.GetValue(session)!;
        }
    }

    /// <summary>After a send that found the window open (<paramref name="before"/> &gt; 1): a zero window is the race; reopen it.</summary>
    /// <returns>True when the window was repaired.</returns>
    public static bool AfterSend(Session session, uint before)
    {
        if (before <= 1)
        {
            return false;
        }

        lock (LockProperty.GetValue(session)!)
        {
            if ((uint)WindowField.GetValue(session)! != 0)
            {
                return false;
            }

            WindowField.SetValue(session, uint.MaxValue);
            return true;
        }
    }
}
