using Amqp;
using Amqp.Framing;
using Amqp.Listener;
using Amqp.Types;

namespace TokenFunctions.WorkerHost.ServiceBus;

/// <summary>
/// The <c>&lt;queue&gt;/$management</c> node: schedule and cancel scheduled messages, renew locks, and settle by lock
/// token (what the client does when the receiving link is gone). Requests and answers are the Service Bus AMQP
/// management shapes: an <c>operation</c> application property, a map body, <c>statusCode</c> in the answer.
/// </summary>
internal sealed class ManagementProcessor(BrokerQueue queue) : IRequestProcessor
{
    public int Credit => 100;

    public void Process(RequestContext requestContext)
    {
        var request = requestContext.Message;
        var operation = request.ApplicationProperties?["operation"] as string;
        var body = (request.BodySection as AmqpValue)?.Value as Map ?? new Map();
        Message response;
        try
        {
            response = operation switch
            {
                "com.microsoft:schedule-message" => Schedule(body),
                "com.microsoft:cancel-scheduled-message" => Cancel(body),
                "com.microsoft:renew-lock" => Renew(body),
                "com.microsoft:update-disposition" => UpdateDisposition(body),
                _ => Answer(501, $"Operation {operation} is not implemented by the loopback broker."),
            };
        }
        catch (InvalidCastException exception)
        {
            response = Answer(400, exception.Message);
        }

        requestContext.Complete(response);
    }

    private Message Schedule(Map body)
    {
        var sequenceNumbers = new List<long>();
        foreach (Map entry in (List)body["messages"])
        {
            var bytes = (byte[])entry["message"];
            var message = Message.Decode(new ByteBuffer(bytes, 0, bytes.Length, bytes.Length));
            var at = message.MessageAnnotations?[(Symbol)"x-opt-scheduled-enqueue-time"] is DateTime time
                ? new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc))
                : DateTimeOffset.MinValue;
            sequenceNumbers.Add(queue.Schedule(message, bytes, at));
        }

        return Answer(200, "OK", new Map { ["sequence-numbers"] = sequenceNumbers.ToArray() });
    }

    private Message Cancel(Map body)
    {
        foreach (var sequenceNumber in (long[])body["sequence-numbers"])
        {
            queue.CancelScheduled(sequenceNumber);
        }

        return Answer(200, "OK");
    }

    private Message Renew(Map body)
    {
        var expirations = new List<DateTime>();
        foreach (var token in (Guid[])body["lock-tokens"])
        {
            if (queue.RenewLock(token) is not { } lockedUntil)
            {
                return LockLost();
            }

            expirations.Add(lockedUntil.UtcDateTime);
        }

        return Answer(200, "OK", new Map { ["expirations"] = expirations.ToArray() });
    }

    private Message UpdateDisposition(Map body)
    {
        var status = body["disposition-status"] as string;
        var properties = AmqpValues.ToDictionary(body["properties-to-modify"] as Map);
        foreach (var token in (Guid[])body["lock-tokens"])
        {
            var result = status switch
            {
                "completed" => queue.Complete(token),
                "abandoned" => queue.Abandon(token, properties),
                "defered" => queue.Defer(token, properties),
                "suspended" => queue.DeadLetter(token, body["deadletter-reason"] as string, body["deadletter-description"] as string, properties),
                _ => throw new InvalidCastException($"Unknown disposition-status {status}."),
            };
            if (result == SettleResult.LockLost)
            {
                return LockLost();
            }
        }

        return Answer(200, "OK");
    }

    private static Message LockLost()
    {
        var answer = Answer(410, "The lock supplied is invalid. Either the lock expired, or the message has already been removed from the queue.");
        answer.ApplicationProperties["errorCondition"] = (Symbol)"com.microsoft:message-lock-lost";
        return answer;
    }

    private static Message Answer(int status, string description, Map? body = null) => new(body)
    {
        ApplicationProperties = new ApplicationProperties
        {
            ["statusCode"] = status,
            ["statusDescription"] = description,
        },
    };
}
