using Amqp;
using Amqp.Sasl;
using Amqp.Types;

namespace TokenFunctions.WorkerHost.ServiceBus;

/// <summary>
/// The SASL mechanism <c>MSSBCBS</c>, the only one <c>ServiceBusClient</c> offers: it authenticates nothing at the SASL
/// layer and presents its token afterwards through a CBS put-token on <c>$cbs</c>, so the outcome is simply OK.
/// </summary>
internal sealed class CbsSaslProfile() : SaslProfile(Name)
{
    public const string Name = "MSSBCBS";

    protected override ITransport UpgradeTransport(ITransport transport) => transport;

    protected override DescribedList GetStartCommand(string hostname) =>
        throw new NotSupportedException("The broker never starts a SASL exchange.");

    protected override DescribedList OnCommand(DescribedList command) => command is SaslInit
        ? new SaslOutcome { Code = SaslCode.Ok }
        : throw new AmqpException(ErrorCode.NotAllowed, command.ToString());
}
