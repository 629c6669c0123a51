using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;
using Moq;
using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Functions.Tests.Hosting;
using TokenFunctions.Incidents;

namespace TokenFunctions.Functions.Tests.Incidents;

/// <summary>
/// <see cref="IncidentQueueMessage.Run"/> as the worker calls it: the function class built from the app's container (the
/// real <see cref="IncidentProcessor"/> over the loopback sandbox), a <see cref="ServiceBusReceivedMessage"/> from the model
/// factory, and a strict <see cref="ServiceBusMessageActions"/> mock, so exactly one settlement call is allowed per delivery.
/// </summary>
public sealed class IncidentQueueMessageEngineTests(SandboxedFunctionApp fixture) : IClassFixture<SandboxedFunctionApp>
{
    private static ServiceBusReceivedMessage Delivery(string body, int deliveryCount = 1) => ServiceBusModelFactory.ServiceBusReceivedMessage(
        body: BinaryData.FromString(body),
        messageId: Guid.NewGuid().ToString("N"),
        contentType: "application/json",
        lockTokenGuid: Guid.NewGuid(),
        deliveryCount: deliveryCount,
        enqueuedTime: DateTimeOffset.UtcNow);

    private static string Disable(string tokenId) =>
        $$"""{ "version": 1, "type": "disable", "incidentId": "INC-{{Guid.NewGuid():N}}", "tokens": ["{{tokenId}}"] }""";

    [Fact]
    public async Task A_valid_disable_disables_the_token_in_the_sandbox_and_completes()
    {
        var victim = fixture.Env1.AddToken();
        var message = Delivery(Disable(victim.Id));
        var actions = new Mock<ServiceBusMessageActions>(MockBehavior.Strict);
        actions.Setup(a => a.CompleteMessageAsync(message, It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        await fixture.App.Function<IncidentQueueMessage>().Run(message, actions.Object, TestContext.Current.CancellationToken);

        actions.Verify(a => a.CompleteMessageAsync(message, It.IsAny<CancellationToken>()), Times.Once);
        Assert.False(fixture.Env1.GetToken(victim.Id)!.Enabled);

        // Key Vault is not on the disable path: the leak rotation of the disabled token went to the queue.
        Assert.Contains(fixture.Sent.Messages, m => m.Subject == "rotate" && System.Text.Encoding.UTF8.GetString(m.Body.Span).Contains(victim.Id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_malformed_body_is_dead_lettered_with_the_engines_reason_and_no_dynatrace_call()
    {
        var message = Delivery("{ this is not json");
        string? reason = null, description = null;
        var actions = new Mock<ServiceBusMessageActions>(MockBehavior.Strict);
        actions.Setup(a => a.DeadLetterMessageAsync(message, It.IsAny<Dictionary<string, object>?>(), It.IsAny<string?>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .Callback<ServiceBusReceivedMessage, Dictionary<string, object>?, string?, string?, CancellationToken>((_, _, r, d, _) => (reason, description) = (r, d))
            .Returns(Task.CompletedTask);
        var calls = fixture.Env1.TotalCalls;

        await fixture.App.Function<IncidentQueueMessage>().Run(message, actions.Object, TestContext.Current.CancellationToken);

        Assert.Equal(DeadLetterReasons.InvalidJson, reason);
        Assert.False(string.IsNullOrWhiteSpace(description));
        Assert.Equal(calls, fixture.Env1.TotalCalls);
    }

    [Fact]
    public async Task A_dynatrace_outage_is_continued_on_a_scheduled_message_and_dead_lettered_when_the_continuation_cannot_be_queued_on_the_last_delivery()
    {
        var victim = fixture.Env1.AddToken();
        var body = Disable(victim.Id);
        fixture.Env1.Faults.SetPersistent(SandboxFault.Status(503), SandboxEndpoint.ApiTokensUpdate);
        try
        {
            // The outage is ridden out: this delivery completes and a copy is scheduled after the first backoff delay.
            var first = Delivery(body);
            var actions = new Mock<ServiceBusMessageActions>(MockBehavior.Strict);
            actions.Setup(a => a.CompleteMessageAsync(first, It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
            var before = DateTimeOffset.UtcNow;

            await fixture.App.Function<IncidentQueueMessage>().Run(first, actions.Object, TestContext.Current.CancellationToken);

            actions.Verify(a => a.CompleteMessageAsync(first, It.IsAny<CancellationToken>()), Times.Once);
            var continuation = Assert.Single(fixture.Sent.Messages, m => m.Subject == "disable" && m.ScheduledEnqueueTime is not null
                && System.Text.Encoding.UTF8.GetString(m.Body.Span).Contains(victim.Id, StringComparison.Ordinal));
            Assert.InRange(continuation.ScheduledEnqueueTime!.Value, before + TimeSpan.FromSeconds(23), DateTimeOffset.UtcNow + TimeSpan.FromSeconds(31));
            Assert.Equal(1, Convert.ToInt32(continuation.ApplicationProperties["tf-retry-attempt"], System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(fixture.Env1.GetToken(victim.Id)!.Enabled);

            // Service Bus refuses the continuation on the last delivery it allows: the explicit dead letter says what remains.
            fixture.Sent.Refuse = true;
            var last = Delivery(body, deliveryCount: 10);
            Dictionary<string, object>? properties = null;
            string? reason = null, description = null;
            actions.Setup(a => a.DeadLetterMessageAsync(last, It.IsAny<Dictionary<string, object>?>(), It.IsAny<string?>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
                .Callback<ServiceBusReceivedMessage, Dictionary<string, object>?, string?, string?, CancellationToken>((_, p, r, d, _) => (properties, reason, description) = (p, r, d))
                .Returns(Task.CompletedTask);

            await fixture.App.Function<IncidentQueueMessage>().Run(last, actions.Object, TestContext.Current.CancellationToken);

            Assert.Equal(DeadLetterReasons.RetriesExhausted, reason);
            Assert.Contains(victim.Id, description, StringComparison.Ordinal);
            Assert.Equal(1L, Convert.ToInt64(properties!["tf-failing"], System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(fixture.Env1.GetToken(victim.Id)!.Enabled);
        }
        finally
        {
            fixture.Env1.Faults.Clear();
            fixture.Sent.Refuse = false;
        }
    }

    [Fact]
    public async Task A_cancelled_invocation_disables_nothing_and_hands_the_same_token_to_the_settlement_so_the_worker_sees_the_cancellation()
    {
        // Whatever the engine decides for a cancelled delivery, the settlement call gets the invocation's token; the real
        // message actions honour it (modelled here), so Run ends cancelled, the lock expires and Service Bus redelivers.
        var victim = fixture.Env1.AddToken();
        var message = Delivery(Disable(victim.Id));
        var cancelled = new CancellationToken(canceled: true);
        var settledWith = new List<CancellationToken>();
        var actions = new Mock<ServiceBusMessageActions>(MockBehavior.Strict);
        actions.Setup(a => a.CompleteMessageAsync(message, It.IsAny<CancellationToken>()))
            .Returns<ServiceBusReceivedMessage, CancellationToken>((_, ct) => Settled(ct));
        actions.Setup(a => a.AbandonMessageAsync(message, It.IsAny<IDictionary<string, object>?>(), It.IsAny<CancellationToken>()))
            .Returns<ServiceBusReceivedMessage, IDictionary<string, object>?, CancellationToken>((_, _, ct) => Settled(ct));
        actions.Setup(a => a.DeadLetterMessageAsync(message, It.IsAny<Dictionary<string, object>?>(), It.IsAny<string?>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .Returns<ServiceBusReceivedMessage, Dictionary<string, object>?, string?, string?, CancellationToken>((_, _, _, _, ct) => Settled(ct));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => fixture.App.Function<IncidentQueueMessage>().Run(message, actions.Object, cancelled));

        Assert.Equal([cancelled], settledWith);
        Assert.True(fixture.Env1.GetToken(victim.Id)!.Enabled);

        Task Settled(CancellationToken ct)
        {
            settledWith.Add(ct);
            return ct.IsCancellationRequested ? Task.FromCanceled(ct) : Task.CompletedTask;
        }
    }

    [Fact]
    public async Task A_failed_settlement_call_propagates_to_the_worker()
    {
        // E.g. the lock was lost: the runtime logs the failed invocation; the work itself is durable and the redelivery is a duplicate.
        var victim = fixture.Env1.AddToken();
        var message = Delivery(Disable(victim.Id));
        var actions = new Mock<ServiceBusMessageActions>(MockBehavior.Strict);
        actions.Setup(a => a.CompleteMessageAsync(message, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ServiceBusException("lock lost", ServiceBusFailureReason.MessageLockLost));

        var thrown = await Assert.ThrowsAsync<ServiceBusException>(
            () => fixture.App.Function<IncidentQueueMessage>().Run(message, actions.Object, TestContext.Current.CancellationToken));

        Assert.Equal(ServiceBusFailureReason.MessageLockLost, thrown.Reason);
        Assert.False(fixture.Env1.GetToken(victim.Id)!.Enabled);
    }
}
