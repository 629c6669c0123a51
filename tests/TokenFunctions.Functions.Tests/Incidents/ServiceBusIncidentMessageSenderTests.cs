using Azure.Messaging.ServiceBus;
using Moq;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Incidents;

namespace TokenFunctions.Functions.Tests.Incidents;

public sealed class ServiceBusIncidentMessageSenderTests
{
    [Fact]
    public async Task Copies_every_member_onto_the_service_bus_message()
    {
        ServiceBusMessage? sent = null;
        var sender = new Mock<ServiceBusSender>();
        sender.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .Callback<ServiceBusMessage, CancellationToken>((m, _) => sent = m)
            .Returns(Task.CompletedTask);

        var outgoing = new OutgoingIncidentMessage(
            new byte[] { 1, 2, 3 }, "msg-id", "disable", "application/json", "INC-9",
            new Dictionary<string, object> { ["tf-source"] = "github-alert" });
        await new ServiceBusIncidentMessageSender(sender.Object).SendAsync(outgoing, CancellationToken.None);

        Assert.NotNull(sent);
        Assert.Equal("msg-id", sent!.MessageId);
        Assert.Equal("disable", sent.Subject);
        Assert.Equal("application/json", sent.ContentType);
        Assert.Equal("INC-9", sent.CorrelationId);
        Assert.Equal("github-alert", sent.ApplicationProperties["tf-source"]);
        Assert.Equal(new byte[] { 1, 2, 3 }, sent.Body.ToArray());
    }

    [Fact]
    public void A_continuation_is_scheduled_and_a_plain_message_is_not()
    {
        var at = new DateTimeOffset(2026, 12, 7, 6, 0, 0, TimeSpan.Zero);
        var outgoing = new OutgoingIncidentMessage(new byte[] { 1 }, "INC-9:abc:c2", "disable", "application/json", "INC-9", new Dictionary<string, object>());

        Assert.Equal(at, ServiceBusIncidentMessageSender.ToServiceBusMessage(outgoing with { ScheduledEnqueueTime = at }).ScheduledEnqueueTime);
        Assert.Equal(default, ServiceBusIncidentMessageSender.ToServiceBusMessage(outgoing).ScheduledEnqueueTime);
    }
}
