using System.Globalization;
using System.Net;
using System.Text.Json;
using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Engine.Tests.Sources.Support;
using TokenFunctions.Host.Tests.Hosting;
using TokenFunctions.WorkerHost.ServiceBus;
using TokenFunctions.WorkerHost.Worker;

namespace TokenFunctions.Host.Tests.Incidents;

/// <summary>
/// The incident queue end to end: messages go through the real <c>ServiceBusClient</c> (the app's own for hand-offs, a
/// sender's for incident tooling) to the loopback broker, the host's trigger listener delivers them to the running
/// worker's <c>IncidentQueueMessage</c>, and the worker's settlements come back to the broker through the Settlement service.
/// </summary>
[Collection(HostedAppCollection.Name)]
public sealed class IncidentQueueTests(HostedApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_GitHub_alert_whose_inline_deadline_is_cut_is_handed_off_through_Service_Bus_and_finished_by_the_queue_trigger()
    {
        var token = app.Env1.AddToken(new SandboxApiTokenSeed { Name = "leaked-slow" });
        app.GitHub.AlertSecret = app.Leaked(token);
        var sequenceBefore = app.Incidents.History.Select(e => e.SequenceNumber).DefaultIfEmpty(0).Max();
        var body = SamplePayloads.GitHubAlert(number: 201);

        // Dynatrace slower than the inline deadline (Sources:InlineDeadline = 3 s): the webhook cannot finish inline.
        app.Env1.Faults.Latency = TimeSpan.FromSeconds(5);
        HttpResponseMessage response;
        try
        {
            response = await app.Http.SendAsync(SignedRequests.GitHubAlert(app.Settings["Sources:GitHub:WebhookSecret"]!, body, "hosted-slow-1"), Ct);
        }
        finally
        {
            app.Env1.Faults.Latency = TimeSpan.Zero;
        }

        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // The app's ServiceBusClient put the hand-off on the broker; the trigger listener gave it back to the worker. The
        // queue's disable then hands on the leak rotation (a `rotate` the queue settles as not managed): every message
        // the app enqueued came back through the trigger and completed.
        await app.QueueDrainedAsync();
        var handOffs = app.Incidents.History.Where(e => e.SequenceNumber > sequenceBefore && e.Kind == BrokerEventKind.Enqueued).ToList();
        Assert.NotEmpty(handOffs);
        Assert.StartsWith("github-alert:hosted-slow-1:", handOffs[0].MessageId, StringComparison.Ordinal);
        foreach (var handOff in handOffs)
        {
            // Settled inside the invocation, so the queue can be empty a moment before the listener records the delivery.
            var delivery = await app.WaitForDeliveryAsync(d => d.SequenceNumber == handOff.SequenceNumber);
            Assert.Single(app.Listener.Deliveries, d => d.SequenceNumber == handOff.SequenceNumber);
            Assert.Equal(SettlementKind.Complete, delivery.Settlement);
            Assert.True(delivery.Result.Succeeded, delivery.Result.Exception);
        }

        Assert.False(app.Env1.GetToken(token.Id)!.Enabled);
        Assert.Equal(1, app.DisableWrites(token.Id));
        var patch = Assert.Single(app.GitHub.Requests, r => r.Method == "PATCH" && r.Path.EndsWith("/alerts/201", StringComparison.Ordinal));
        using var json = JsonDocument.Parse(patch.Body);
        Assert.Equal("resolved", json.RootElement.GetProperty("state").GetString());
        Assert.Equal("revoked", json.RootElement.GetProperty("resolution").GetString());
    }

    [Fact]
    public async Task A_kill_switch_over_1000_tokens_completes_with_every_token_disabled_once()
    {
        var tokens = app.Env2.AddTokens(1000, i => new SandboxApiTokenSeed { Name = $"stolen-laptop-{i}", Owner = "mallory@example.com" });
        var bystander = app.Env2.AddToken(new SandboxApiTokenSeed { Name = "someone else", Owner = "bob@example.com" });

        var messageId = await app.SendIncidentAsync(JsonSerializer.Serialize(new
        {
            version = 1,
            type = "kill-switch",
            incidentId = "HOSTED-KS-1000",
            requestedBy = "ir-lead@example.com",
            reason = "laptop stolen",
            selector = new { owner = "mallory@example.com", environment = "env2" },
        }));

        await app.WaitForSettledAsync(messageId, SettlementKind.Complete);
        Assert.Single(app.Listener.Deliveries, d => d.MessageId == messageId);
        Assert.All(tokens, t => Assert.False(app.Env2.GetToken(t.Id)!.Enabled));
        Assert.All(tokens, t => Assert.Equal(1, app.DisableWrites(t.Id)));
        Assert.True(app.Env2.GetToken(bystander.Id)!.Enabled);
    }

    [Theory]
    [InlineData("{\"version\":1,\"type\":\"disable\",", "InvalidJson")]
    [InlineData("{\"version\":1,\"type\":\"detonate\",\"incidentId\":\"HOSTED-BAD-2\",\"requestedBy\":\"x@example.com\"}", "UnknownType")]
    [InlineData("{\"version\":7,\"type\":\"disable\",\"incidentId\":\"HOSTED-BAD-3\",\"requestedBy\":\"x@example.com\",\"tokens\":[\"dt0c01.ST2EY72KQINMH574WMNVI7YN\"]}", "UnsupportedVersion")]
    [InlineData("{\"version\":1,\"type\":\"disable\",\"requestedBy\":\"x@example.com\",\"tokens\":[\"dt0c01.ST2EY72KQINMH574WMNVI7YN\"]}", "SchemaViolation")]
    [InlineData("{\"version\":1,\"type\":\"kill-switch\",\"incidentId\":\"HOSTED-BAD-5\",\"requestedBy\":\"x@example.com\",\"selector\":{\"environment\":\"nowhere\",\"allTokens\":true}}", "UnknownTarget")]
    public async Task An_invalid_message_is_dead_lettered_at_once_with_the_documented_reason(string body, string reason)
    {
        var callsBefore = app.Env1.TotalCalls + app.Env2.TotalCalls;

        var messageId = await app.SendIncidentAsync(body);

        await app.WaitForSettledAsync(messageId, SettlementKind.DeadLetter);
        var dead = Assert.Single(app.Incidents.DeadLetterQueue!.Messages, m => m.MessageId == messageId);
        Assert.Equal(reason, dead.DeadLetterReason);
        Assert.False(string.IsNullOrWhiteSpace(dead.DeadLetterErrorDescription));
        Assert.Equal(1, dead.DeliveryCount);
        Assert.Single(app.Listener.Deliveries, d => d.MessageId == messageId);
        Assert.Equal(callsBefore, app.Env1.TotalCalls + app.Env2.TotalCalls);
    }

    [Fact]
    public async Task With_Dynatrace_down_the_work_is_continued_on_a_scheduled_message_that_shows_its_progress_and_converges()
    {
        var tokens = app.Env1.AddTokens(3, i => new SandboxApiTokenSeed { Name = $"outage-{i}" });
        app.Env1.Faults.SetPersistent(SandboxFault.Status(HttpStatusCode.ServiceUnavailable));
        string messageId;
        BrokeredMessageView continuation;
        try
        {
            messageId = await app.SendIncidentAsync(DisableBody("HOSTED-OUTAGE-1", tokens.Select(t => t.Id)));

            // The delivery that met the outage is completed; the work goes on in a message scheduled on the queue.
            await app.WaitForSettledAsync(messageId, SettlementKind.Complete);
            continuation = await app.ScheduledContinuationAsync("HOSTED-OUTAGE-1");
        }
        finally
        {
            app.Env1.Faults.SetPersistent(null);
        }

        // Whoever looks at the queue during the outage sees what is failing and when it is tried again.
        Assert.NotNull(continuation.ScheduledEnqueueTime);
        Assert.EndsWith(":c1", continuation.MessageId, StringComparison.Ordinal);
        Assert.Equal(messageId, continuation.ApplicationProperties["tf-continues"]);
        Assert.Equal("HOSTED-OUTAGE-1", continuation.ApplicationProperties["tf-incident-id"]);
        Assert.Equal(3, Convert.ToInt32(continuation.ApplicationProperties["tf-failing"], CultureInfo.InvariantCulture));
        Assert.Equal(1, Convert.ToInt32(continuation.ApplicationProperties["tf-retry-attempt"], CultureInfo.InvariantCulture));
        Assert.Contains("failed transiently", (string)continuation.ApplicationProperties["tf-last-result"]!, StringComparison.Ordinal);

        var finished = await app.IncidentFinishedAsync("HOSTED-OUTAGE-1");
        Assert.Equal(SettlementKind.Complete, finished.Settlement);
        Assert.True(finished.SequenceNumber >= continuation.SequenceNumber);
        Assert.All(tokens, t => Assert.False(app.Env1.GetToken(t.Id)!.Enabled));
        Assert.All(tokens, t => Assert.Equal(1, app.DisableWrites(t.Id)));

        // Every delivery was a first delivery of its own message: the outage never spent Service Bus's delivery count.
        Assert.All(app.Listener.Deliveries.Where(d => d.MessageId == messageId || d.MessageId!.StartsWith("HOSTED-OUTAGE-1:", StringComparison.Ordinal)), d => Assert.Equal(1, d.DeliveryCount));
    }

    [Fact]
    public async Task With_Dynatrace_down_and_the_continuation_refused_the_delivery_is_abandoned_with_its_progress_redelivered_and_converges()
    {
        var tokens = app.Env1.AddTokens(3, i => new SandboxApiTokenSeed { Name = $"refused-{i}" });
        app.Env1.Faults.SetPersistent(SandboxFault.Status(HttpStatusCode.ServiceUnavailable));
        app.Incidents.RefuseSends = id => id?.StartsWith("HOSTED-OUTAGE-3:", StringComparison.Ordinal) == true;
        string messageId;
        try
        {
            messageId = await app.SendIncidentAsync(DisableBody("HOSTED-OUTAGE-3", tokens.Select(t => t.Id)));

            // The continuation cannot be queued, so the delivery is abandoned and Service Bus redelivers it at once.
            await app.WaitForSettledAsync(messageId, SettlementKind.Abandon);
        }
        finally
        {
            app.Incidents.RefuseSends = null;
            app.Env1.Faults.SetPersistent(null);
        }

        // Redelivered at once; the redelivery (or, if Dynatrace recovered only part-way through it, its continuation)
        // finishes the work.
        await app.WaitUntilAsync(() =>
            app.Listener.Deliveries.Any(d => d.MessageId == messageId && d.Settlement == SettlementKind.Complete)
            && tokens.All(t => !app.Env1.GetToken(t.Id)!.Enabled)
            && !app.Incidents.Messages.Any(m => m.MessageId == messageId || m.MessageId!.StartsWith("HOSTED-OUTAGE-3:", StringComparison.Ordinal)));
        var deliveries = app.Listener.Deliveries.Where(d => d.MessageId == messageId).ToList();
        Assert.Equal(SettlementKind.Abandon, deliveries[0].Settlement);
        Assert.Equal(SettlementKind.Complete, deliveries[^1].Settlement);
        Assert.Equal(Enumerable.Range(1, deliveries.Count), deliveries.Select(d => d.DeliveryCount));

        // The abandon carried the progress properties the docs list, and the broker kept them on the message.
        var abandon = app.Host.Settlements.For(deliveries[0].LockToken).Single(s => s.Kind == SettlementKind.Abandon);
        Assert.Equal("HOSTED-OUTAGE-3", abandon.Properties["tf-incident-id"]);
        Assert.Equal(3, Convert.ToInt32(abandon.Properties["tf-failing"], CultureInfo.InvariantCulture));
        Assert.Contains("tf-last-result", abandon.Properties.Keys);
        Assert.Contains(app.Incidents.History, e => e.MessageId == messageId && e.Kind == BrokerEventKind.Abandoned && e.Detail!.Contains("tf-incident-id=HOSTED-OUTAGE-3", StringComparison.Ordinal));

        Assert.All(tokens, t => Assert.False(app.Env1.GetToken(t.Id)!.Enabled));
        Assert.All(tokens, t => Assert.Equal(1, app.DisableWrites(t.Id)));
    }

    [Fact]
    public async Task Dynatrace_down_past_the_retry_horizon_is_dead_lettered_RetriesExhausted_with_what_remains()
    {
        var token = app.Env1.AddToken(new SandboxApiTokenSeed { Name = "outage-forever" });
        app.Env1.Faults.SetPersistent(SandboxFault.Status(HttpStatusCode.ServiceUnavailable));
        try
        {
            await app.SendIncidentAsync(DisableBody("HOSTED-OUTAGE-2", [token.Id]));

            var last = await app.IncidentFinishedAsync("HOSTED-OUTAGE-2");
            Assert.Equal(SettlementKind.DeadLetter, last.Settlement);
            var dead = Assert.Single(app.Incidents.DeadLetterQueue!.Messages, m => m.MessageId == last.MessageId);
            Assert.Equal("RetriesExhausted", dead.DeadLetterReason);
            Assert.Contains(token.Id, dead.DeadLetterErrorDescription, StringComparison.Ordinal);
            Assert.Contains("Incidents:Retry:Horizon", dead.DeadLetterErrorDescription, StringComparison.Ordinal);

            // Retried on continuations (1 s, then 2 s apart) until the 8 s horizon, not on Service Bus redeliveries.
            var continuations = app.Incidents.History.Count(e => e.Kind == BrokerEventKind.Scheduled && e.MessageId!.StartsWith("HOSTED-OUTAGE-2:", StringComparison.Ordinal));
            Assert.InRange(continuations, 2, 8);
        }
        finally
        {
            app.Env1.Faults.SetPersistent(null);
        }

        Assert.True(app.Env1.GetToken(token.Id)!.Enabled);
    }

    private static string DisableBody(string incidentId, IEnumerable<string> tokens) => JsonSerializer.Serialize(new
    {
        version = 1,
        type = "disable",
        incidentId,
        requestedBy = "soc@example.com",
        environment = "env1",
        tokens = tokens.ToArray(),
    });
}
