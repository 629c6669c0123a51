using Azure.Messaging.ServiceBus;
using TokenFunctions.WorkerHost.ServiceBus;

namespace TokenFunctions.Host.Tests.ServiceBus;

public sealed class BrokerProbeTests
{
    [Fact]
    public async Task Send_receive_complete()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var broker = AmqpBroker.Start(new AmqpBrokerOptions { Queues = ["q"] });
        await using var client = new ServiceBusClient(broker.ConnectionString);
        await using var sender = client.CreateSender("q");
        await sender.SendMessageAsync(new ServiceBusMessage("hello") { MessageId = "m1" }, ct);
        await using var receiver = client.CreateReceiver("q");
        var received = await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(10), ct);
        Assert.NotNull(received);
        Assert.Equal("hello", received.Body.ToString());
        Assert.Equal(1, received.DeliveryCount);
        await receiver.CompleteMessageAsync(received, ct);
        Assert.Empty(broker.Queue("q").Messages);
    }
}
