using Amqp;
using Amqp.Framing;
using Amqp.Listener;

namespace TokenFunctions.WorkerHost.ServiceBus;

/// <summary>
/// Claims-based security on <c>$cbs</c>: every put-token is accepted with 202, as the Service Bus emulator does for its
/// fixed development key. The tokens presented are counted, never kept.
/// </summary>
internal sealed class CbsProcessor : IRequestProcessor
{
    private int _tokens;

    public int Credit => 100;

    public int TokensAccepted => Volatile.Read(ref _tokens);

    public void Process(RequestContext requestContext)
    {
        var operation = requestContext.Message.ApplicationProperties?["operation"] as string;
        var status = operation == "put-token" ? 202 : 400;
        if (status == 202)
        {
            Interlocked.Increment(ref _tokens);
        }

        requestContext.Complete(new Message
        {
            ApplicationProperties = new ApplicationProperties
            {
                ["status-code"] = status,
                ["status-description"] = status == 202 ? "Accepted" : "Unknown operation",
            },
        });
    }
}
