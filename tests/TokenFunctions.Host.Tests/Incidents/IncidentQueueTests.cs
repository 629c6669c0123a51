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

        // The app's ServiceBusClient put the hand-off on the broker; the trigger listener gave it back to the worker.
        var delivery = await app.WaitForDeliveryAsync(d => d.SequenceNumber > sequenceBefore && d.Settlement == SettlementKind.Complete);
        var handOff = Assert.Single(app.Incidents.History, e => e.SequenceNumber > sequenceBefore && e.Kind == BrokerEventKind.Enqueued);
        Assert.Equal(handOff.SequenceNumber, delivery.SequenceNumber);
        Assert.True(delivery.Result.Succeeded, delivery.Result.Exception);

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
    public async Task With_Dynatrace_down_the_message_is_abandoned_with_its_progress_redelivered_and_converges()
    {
        var tokens = app.Env1.AddTokens(3, i => new SandboxApiTokenSeed { Name = $"outage-{i}" });
        app.Env1.Faults.SetPersistent(SandboxFault.Status(HttpStatusCode.ServiceUnavailable));
        string messageId;
        try
        {
            messageId = await app.SendIncidentAsync(JsonSerializer.Serialize(new
            {
                version = 1,
                type = "disable",
                incidentId = "HOSTED-OUTAGE-1",
                requestedBy = "soc@example.com",
                environment = "env1",
                tokens = tokens.Select(t => t.Id).ToArray(),
            }));
            await app.WaitForSettledAsync(messageId, SettlementKind.Abandon);
        }
        finally
        {
            app.Env1.Faults.SetPersistent(null);
        }

        await app.WaitForSettledAsync(messageId, SettlementKind.Complete);
        var deliveries = app.Listener.Deliveries.Where(d => d.MessageId == messageId).ToList();
        Assert.Equal(SettlementKind.Abandon, deliveries[0].Settlement);
        Assert.Equal(SettlementKind.Complete, deliveries[^1].Settlement);
        Assert.Equal(Enumerable.Range(1, deliveries.Count), deliveries.Select(d => d.DeliveryCount));

        // The abandon carried the progress properties the docs list, and the broker kept them on the message.
        var abandon = app.Host.Settlements.For(deliveries[0].LockToken).Single(s => s.Kind == SettlementKind.Abandon);
        Assert.Equal("HOSTED-OUTAGE-1", abandon.Properties["tf-incident-id"]);
        Assert.Contains("tf-failing", abandon.Properties.Keys);
        Assert.Contains("tf-last-result", abandon.Properties.Keys);
        Assert.Contains(app.Incidents.History, e => e.MessageId == messageId && e.Kind == BrokerEventKind.Abandoned && e.Detail!.Contains("tf-incident-id=HOSTED-OUTAGE-1", StringComparison.Ordinal));

        Assert.All(tokens, t => Assert.False(app.Env1.GetToken(t.Id)!.Enabled));
        Assert.All(tokens, t => Assert.Equal(1, app.DisableWrites(t.Id)));
    }

    [Fact]
    public async Task Dynatrace_down_through_every_delivery_is_dead_lettered_RetriesExhausted_on_the_last_one()
    {
        var token = app.Env1.AddToken(new SandboxApiTokenSeed { Name = "outage-forever" });
        app.Env1.Faults.SetPersistent(SandboxFault.Status(HttpStatusCode.ServiceUnavailable));
        try
        {
            var messageId = await app.SendIncidentAsync(JsonSerializer.Serialize(new
            {
                version = 1,
                type = "disable",
                incidentId = "HOSTED-OUTAGE-2",
                requestedBy = "soc@example.com",
                environment = "env1",
                tokens = new[] { token.Id },
            }));

            await app.WaitForSettledAsync(messageId, SettlementKind.DeadLetter);
            var dead = Assert.Single(app.Incidents.DeadLetterQueue!.Messages, m => m.MessageId == messageId);
            Assert.Equal("RetriesExhausted", dead.DeadLetterReason);
            Assert.Contains(token.Id, dead.DeadLetterErrorDescription, StringComparison.Ordinal);
            Assert.Equal(HostedApp.MaxDeliveryCount, app.Listener.Deliveries.Count(d => d.MessageId == messageId));
            Assert.Equal(SettlementKind.DeadLetter, app.Listener.Deliveries.Last(d => d.MessageId == messageId).Settlement);
        }
        finally
        {
            app.Env1.Faults.SetPersistent(null);
        }

        Assert.True(app.Env1.GetToken(token.Id)!.Enabled);
    }
}
