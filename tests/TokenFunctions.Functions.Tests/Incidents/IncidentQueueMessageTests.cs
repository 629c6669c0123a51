using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;
using Moq;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Incidents;

namespace TokenFunctions.Functions.Tests.Incidents;

public sealed class IncidentQueueMessageTests
{
    private static ServiceBusReceivedMessage Message() => ServiceBusModelFactory.ServiceBusReceivedMessage(
        body: BinaryData.FromString("""{"type":"disable","incidentId":"INC-1","tokens":["dt0c01.ST2EY72KQINMH574WMNVI7YN"]}"""),
        messageId: "m-1",
        correlationId: "INC-1",
        subject: "disable",
        contentType: "application/json",
        properties: new Dictionary<string, object> { ["tf-progress"] = "3" },
        lockTokenGuid: Guid.NewGuid(),
        deliveryCount: 2,
        enqueuedTime: new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Maps_the_received_message_to_the_engine_type()
    {
        var incoming = IncidentQueueMessage.ToIncoming(Message());

        Assert.Equal("m-1", incoming.MessageId);
        Assert.Equal(2, incoming.DeliveryCount);
        Assert.Equal("INC-1", incoming.CorrelationId);
        Assert.Equal("disable", incoming.Subject);
        Assert.Equal("application/json", incoming.ContentType);
        Assert.Equal("3", incoming.ApplicationProperties["tf-progress"]);
        Assert.Contains("INC-1", System.Text.Encoding.UTF8.GetString(incoming.Body.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Complete_completes_and_nothing_else()
    {
        var message = Message();
        var actions = new Mock<ServiceBusMessageActions>(MockBehavior.Strict);
        actions.Setup(a => a.CompleteMessageAsync(message, It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        await IncidentQueueMessage.SettleAsync(message, actions.Object, new SettlementDecision.Complete("done"), CancellationToken.None);

        actions.Verify(a => a.CompleteMessageAsync(message, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Abandon_carries_the_progress_properties()
    {
        var message = Message();
        IDictionary<string, object>? sent = null;
        var actions = new Mock<ServiceBusMessageActions>(MockBehavior.Strict);
        actions.Setup(a => a.AbandonMessageAsync(message, It.IsAny<IDictionary<string, object>?>(), It.IsAny<CancellationToken>()))
            .Callback<ServiceBusReceivedMessage, IDictionary<string, object>?, CancellationToken>((_, p, _) => sent = p)
            .Returns(Task.CompletedTask);

        var decision = new SettlementDecision.Abandon(new Dictionary<string, object> { ["tf-cursor"] = "page-7" }, "transient");
        await IncidentQueueMessage.SettleAsync(message, actions.Object, decision, CancellationToken.None);

        Assert.NotNull(sent);
        Assert.Equal("page-7", sent!["tf-cursor"]);
    }

    [Fact]
    public async Task Dead_letter_passes_reason_and_description()
    {
        var message = Message();
        var actions = new Mock<ServiceBusMessageActions>(MockBehavior.Strict);
        actions.Setup(a => a.DeadLetterMessageAsync(
                message,
                It.IsAny<Dictionary<string, object>?>(),
                "InvalidJson",
                "The body is not JSON.",
                It.IsAny<CancellationToken>()))
            .Returns(Task.CompletedTask);

        var decision = new SettlementDecision.DeadLetter("InvalidJson", "The body is not JSON.", new Dictionary<string, object>());
        await IncidentQueueMessage.SettleAsync(message, actions.Object, decision, CancellationToken.None);

        actions.VerifyAll();
    }
}
