using Amqp;
using Amqp.Framing;
using Amqp.Listener;
using Amqp.Types;

namespace TokenFunctions.WorkerHost.ServiceBus;

/// <summary>
/// Messages a client sends to a queue. A batch (message format <c>0x80013700</c>, what <c>SendMessagesAsync</c> and a
/// <c>ServiceBusMessageBatch</c> produce) carries one encoded message per data section; each is enqueued on its own.
/// </summary>
internal sealed class QueueReceiveProcessor(BrokerQueue queue, long maxMessageSize) : IMessageProcessor
{
    public const uint BatchFormat = 0x80013700;

    public int Credit => 100;

    public void Process(MessageContext messageContext)
    {
        var message = messageContext.Message;
        var encoded = ToArray(message.Encode());
        if (encoded.Length > maxMessageSize)
        {
            messageContext.Complete(new Error((Symbol)"amqp:link:message-size-exceeded") { Description = $"The message is {encoded.Length} bytes; the limit is {maxMessageSize}." });
            return;
        }

        if (queue.RefuseSends is { } refuse && refuse(message.Format == BatchFormat ? null : message.Properties?.MessageId))
        {
            messageContext.Complete(new Error((Symbol)"amqp:unauthorized-access") { Description = $"Send to '{queue.Name}' refused (a test fault)." });
            return;
        }

        if (message.Format == BatchFormat)
        {
            foreach (var section in Sections(message.BodySection))
            {
                var inner = Message.Decode(new ByteBuffer(section, 0, section.Length, section.Length));
                queue.Enqueue(inner, section);
            }
        }
        else
        {
            queue.Enqueue(message, encoded);
        }

        messageContext.Complete();
    }

    private static IEnumerable<byte[]> Sections(RestrictedDescribed? body) => body switch
    {
        Data data => [data.Binary],
        DataList list => Enumerable.Range(0, list.Count).Select(i => list[i].Binary),
        _ => [],
    };

    internal static byte[] ToArray(ByteBuffer buffer)
    {
        var bytes = new byte[buffer.Length];
        Buffer.BlockCopy(buffer.Buffer, buffer.Offset, bytes, 0, buffer.Length);
        return bytes;
    }
}
