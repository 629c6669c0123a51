using Microsoft.Extensions.DependencyInjection;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Sources;
using TokenFunctions.Engine.Sources.GitHub;
using TokenFunctions.Engine.Sources.Response;
using TokenFunctions.Engine.Tests.Sources.Support;
using static TokenFunctions.Engine.Tests.Sources.Support.WebhookRequests;

namespace TokenFunctions.Engine.UnitTests.Sources;

public sealed class GitHubAlertEndpointTests : IDisposable
{
    private readonly SourcesHarness _h = SourcesHarness.Create();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Created_alert_fetches_the_secret_disables_it_and_resolves_the_alert()
    {
        var result = await _h.GitHubAlert.HandleAsync(GitHubAlert(SamplePayloads.GitHubAlert(), delivery: "d-1"), CancellationToken.None);

        var (status, body, _) = await ExecuteAsync(result);
        Assert.Equal(200, status);
        var leak = Assert.Single(_h.Kill.AllLeaks);
        Assert.Equal(TestTokens.Id(1), leak.TokenId);
        Assert.Equal(TestTokens.Secret(1), leak.Secret);
        Assert.Equal(SourceNames.GitHubAlert, leak.Source);
        Assert.Equal("d-1", leak.CorrelationId);
        Assert.Equal(new GitHubAlertRef("octo-org", "hello", 42), Assert.Single(_h.GitHub.Fetched));

        var (alert, comment) = Assert.Single(_h.GitHub.Resolved);
        Assert.Equal(42, alert.Number);
        Assert.Contains(TestTokens.Id(1).Value, comment, StringComparison.Ordinal);
        Assert.Contains("d-1", comment, StringComparison.Ordinal);
        Assert.DoesNotContain(TestTokens.SecretPart(1), comment, StringComparison.Ordinal);

        var summary = ((Engine.Sources.Http.WebhookResult)result).ReadBody(SourcesJsonContext.Default.OutcomeSummary)!;
        Assert.Equal("accepted", summary.Status);
        Assert.Equal(1, summary.Disabled);
        Assert.Equal(TestTokens.Id(1).Value, Assert.Single(summary.Tokens).TokenId);
        Assert.DoesNotContain(TestTokens.SecretPart(1), body, StringComparison.Ordinal);
        Assert.Empty(_h.Queue.Messages);
    }

    [Fact]
    public async Task A_resolution_GitHub_fails_inline_is_handed_to_the_queue_not_audited_as_failed()
    {
        _h.GitHub.Resolve = (_, _) => Task.FromResult(GitHubResolveStatus.Failed);

        var result = await _h.GitHubAlert.HandleAsync(GitHubAlert(SamplePayloads.GitHubAlert(), delivery: "d-gh-500"), CancellationToken.None);

        Assert.Equal(200, Status(result));
        Assert.Equal("Disabled", Assert.Single(((Engine.Sources.Http.WebhookResult)result).ReadBody(SourcesJsonContext.Default.OutcomeSummary)!.Tokens).Outcome);
        var message = Assert.Single(_h.Queue.Disables);
        Assert.Equal([TestTokens.Id(1).Value], message.Tokens);
        Assert.Equal(42, message.GitHubAlert!.Number);
        Assert.DoesNotContain(TestTokens.SecretPart(1), _h.Queue.SerializedAll(), StringComparison.Ordinal);
        Assert.Equal("Queued", Assert.Single(_h.Audit.Records, r => r.Action == "resolve-alert").Outcome);
    }

    [Fact]
    public async Task A_resolution_GitHub_refuses_inline_is_audited_for_a_human_and_not_queued()
    {
        _h.GitHub.Resolve = (_, _) => Task.FromResult(GitHubResolveStatus.Refused);

        var result = await _h.GitHubAlert.HandleAsync(GitHubAlert(SamplePayloads.GitHubAlert(), delivery: "d-gh-404"), CancellationToken.None);

        Assert.Equal(200, Status(result));
        Assert.Empty(_h.Queue.Messages);
        var record = Assert.Single(_h.Audit.Records, r => r.Action == "resolve-alert");
        Assert.Equal(("Failed", "octo-org/hello#42"), (record.Outcome, record.Detail));
    }

    [Fact]
    public async Task When_neither_GitHub_nor_the_queue_takes_the_resolution_the_token_is_still_reported_disabled_and_the_resolution_is_retried()
    {
        _h.GitHub.Resolve = (_, _) => Task.FromResult(GitHubResolveStatus.Failed);
        _h.Queue.Fail = true;

        var answered = await _h.GitHubAlert.HandleAsync(GitHubAlert(SamplePayloads.GitHubAlert(), delivery: "d-lost"), CancellationToken.None);

        // The token is dead: GitHub must not record a failed delivery (and redeliver) for a success.
        Assert.Equal(200, Status(answered));
        Assert.Equal("Disabled", Assert.Single(((Engine.Sources.Http.WebhookResult)answered).ReadBody(SourcesJsonContext.Default.OutcomeSummary)!.Tokens).Outcome);
        Assert.Equal("HandOffFailed", Assert.Single(_h.Audit.Records, r => r.Action == "resolve-alert").Outcome);
        var handOffs = _h.Services.GetRequiredService<FollowUpHandOff>();
        Assert.Equal(1, handOffs.PendingCount);

        // The queue is back: the waiting resolution is handed over, once.
        Assert.Equal(1, await handOffs.RetryPendingAsync(CancellationToken.None));
        _h.Queue.Fail = false;
        Assert.Equal(0, await handOffs.RetryPendingAsync(CancellationToken.None));
        var message = Assert.Single(_h.Queue.Disables);
        Assert.Equal(42, message.GitHubAlert!.Number);
        Assert.Equal("github-alert:d-lost", message.IncidentId);
        Assert.Contains(_h.Audit.Records, r => r.Action == "resolve-alert" && r.Outcome == "Queued");

        // A redelivery by GitHub (it saw 200, so only if it retries anyway) is a duplicate.
        var again = await _h.GitHubAlert.HandleAsync(GitHubAlert(SamplePayloads.GitHubAlert(), delivery: "d-lost"), CancellationToken.None);
        Assert.Equal("duplicate", ((Engine.Sources.Http.WebhookResult)again).Reason);
        Assert.Equal(1, _h.Kill.CallCount);
    }

    [Theory]
    [InlineData("created")]
    [InlineData("reopened")]
    [InlineData("publicly_leaked")]
    public async Task Acting_actions_disable(string action)
    {
        var result = await _h.GitHubAlert.HandleAsync(GitHubAlert(SamplePayloads.GitHubAlert(action)), CancellationToken.None);
        Assert.Equal(200, Status(result));
        Assert.Equal(1, _h.Kill.CallCount);
    }

    [Theory]
    [InlineData("resolved")]
    [InlineData("revoked")]
    [InlineData("assigned")]
    [InlineData("unassigned")]
    public async Task Other_actions_are_acknowledged_and_ignored(string action)
    {
        var result = await _h.GitHubAlert.HandleAsync(GitHubAlert(SamplePayloads.GitHubAlert(action)), CancellationToken.None);
        var summary = ((Engine.Sources.Http.WebhookResult)result).ReadBody(SourcesJsonContext.Default.OutcomeSummary)!;
        Assert.Equal(200, Status(result));
        Assert.Equal(("ignored", "action"), (summary.Status, summary.Detail));
        Assert.Equal(0, _h.Kill.CallCount);
        Assert.Empty(_h.GitHub.Fetched);
    }

    [Theory]
    [InlineData("active", 1)]
    [InlineData("inactive", 0)]
    [InlineData("unknown", 0)]
    public async Task Validated_acts_only_when_the_token_is_active(string validity, int calls)
    {
        var result = await _h.GitHubAlert.HandleAsync(GitHubAlert(SamplePayloads.GitHubAlert("validated", validity: validity)), CancellationToken.None);
        Assert.Equal(200, Status(result));
        Assert.Equal(calls, _h.Kill.CallCount);
    }

    [Fact]
    public async Task Non_dynatrace_secret_types_are_ignored_and_custom_patterns_are_configurable()
    {
        var ignored = await _h.GitHubAlert.HandleAsync(GitHubAlert(SamplePayloads.GitHubAlert(secretType: "github_personal_access_token")), CancellationToken.None);
        Assert.Equal(200, Status(ignored));
        Assert.Equal(0, _h.Kill.CallCount);

        using var custom = SourcesHarness.Create(s =>
        {
            s["Sources:GitHub:SecretTypes:0"] = "dynatrace_api_token";
            s["Sources:GitHub:SecretTypes:1"] = "pattern_dt_internal";
        });
        var acted = await custom.GitHubAlert.HandleAsync(GitHubAlert(SamplePayloads.GitHubAlert(secretType: "pattern_dt_internal")), CancellationToken.None);
        Assert.Equal(200, Status(acted));
        Assert.Equal(1, custom.Kill.CallCount);
        var internalToken = await custom.GitHubAlert.HandleAsync(GitHubAlert(SamplePayloads.GitHubAlert(secretType: "dynatrace_internal_token")), CancellationToken.None);
        Assert.Equal(200, Status(internalToken));
        Assert.Equal(1, custom.Kill.CallCount); // replaced, not appended to, the defaults
    }

    [Fact]
    public async Task Ping_and_other_events_get_2xx_without_acting()
    {
        var ping = await _h.GitHubAlert.HandleAsync(GitHubAlert("{\"zen\":\"Keep it logically awesome.\",\"hook_id\":1}"u8.ToArray(), gitHubEvent: "ping"), CancellationToken.None);
        var push = await _h.GitHubAlert.HandleAsync(GitHubAlert("{\"ref\":\"refs/heads/main\"}"u8.ToArray(), gitHubEvent: "push"), CancellationToken.None);
        var location = await _h.GitHubAlert.HandleAsync(GitHubAlert("{}"u8.ToArray(), gitHubEvent: "secret_scanning_alert_location"), CancellationToken.None);
        Assert.Equal("pong", ((Engine.Sources.Http.WebhookResult)ping).Reason);
        Assert.Equal(200, Status(ping));
        Assert.Equal(200, Status(push));
        Assert.Equal(200, Status(location));
        Assert.Equal(0, _h.Kill.CallCount);
    }

    [Fact]
    public async Task A_redelivered_delivery_answers_2xx_without_acting_again()
    {
        var first = await _h.GitHubAlert.HandleAsync(GitHubAlert(SamplePayloads.GitHubAlert(), delivery: "same"), CancellationToken.None);
        var again = await _h.GitHubAlert.HandleAsync(GitHubAlert(SamplePayloads.GitHubAlert(), delivery: "same"), CancellationToken.None);
        Assert.Equal(200, Status(first));
        Assert.Equal(200, Status(again));
        Assert.Equal("duplicate", ((Engine.Sources.Http.WebhookResult)again).Reason);
        Assert.Equal(1, _h.Kill.CallCount);
        Assert.Single(_h.GitHub.Fetched);
    }

    [Fact]
    public async Task A_delivery_claimed_by_a_crashed_attempt_is_retried_after_the_lease()
    {
        // A previous attempt claimed the delivery and died before completing it.
        await _h.Ledger.ClaimAsync(SourceNames.GitHubAlert, "crashed", TimeSpan.FromMinutes(2), TimeSpan.FromDays(30), CancellationToken.None);

        var during = await _h.GitHubAlert.HandleAsync(GitHubAlert(SamplePayloads.GitHubAlert(), delivery: "crashed"), CancellationToken.None);
        Assert.Equal(409, Status(during));
        Assert.Equal(0, _h.Kill.CallCount);

        _h.Time.Advance(TimeSpan.FromMinutes(3));
        var after = await _h.GitHubAlert.HandleAsync(GitHubAlert(SamplePayloads.GitHubAlert(), delivery: "crashed"), CancellationToken.None);
        Assert.Equal(200, Status(after));
        Assert.Equal(1, _h.Kill.CallCount);
    }

    [Fact]
    public async Task When_GitHub_cannot_give_the_secret_the_sender_sees_502_and_a_redelivery_acts()
    {
        _h.GitHub.Status = GitHubFetchStatus.Failed;
        var failed = await _h.GitHubAlert.HandleAsync(GitHubAlert(SamplePayloads.GitHubAlert(), delivery: "d-502"), CancellationToken.None);
        Assert.Equal(502, Status(failed));
        Assert.Equal(0, _h.Kill.CallCount);

        _h.GitHub.Status = GitHubFetchStatus.Ok;
        var redelivered = await _h.GitHubAlert.HandleAsync(GitHubAlert(SamplePayloads.GitHubAlert(), delivery: "d-502"), CancellationToken.None);
        Assert.Equal(200, Status(redelivered));
        Assert.Equal(1, _h.Kill.CallCount);
    }

    [Fact]
    public async Task Failed_kill_switch_outcomes_are_handed_to_the_queue_with_ids_only()
    {
        _h.Kill.Behavior = (r, _) => Task.FromResult(RecordingKillService.Respond(r, TokenOutcomeKind.Failed));
        var result = await _h.GitHubAlert.HandleAsync(GitHubAlert(SamplePayloads.GitHubAlert(), delivery: "d-q"), CancellationToken.None);

        var (status, body, _) = await ExecuteAsync(result);
        Assert.Equal(200, status);
        var message = Assert.Single(_h.Queue.Disables);
        Assert.Equal([TestTokens.Id(1).Value], message.Tokens);
        Assert.Equal(SourceNames.GitHubAlert, message.Source);
        Assert.Equal("github-alert:d-q", message.IncidentId);
        Assert.DoesNotContain(TestTokens.SecretPart(1), _h.Queue.SerializedAll(), StringComparison.Ordinal);
        Assert.Contains("\"queued\":1", body, StringComparison.Ordinal);
        Assert.Empty(_h.GitHub.Resolved); // not resolved until the token is really disabled
        Assert.Contains(_h.Audit.Records, r => r.Action == "handoff" && r.Outcome == "Queued" && r.TokenId == TestTokens.Id(1));
    }

    [Fact]
    public async Task A_kill_switch_that_outlives_the_deadline_is_handed_off()
    {
        _h.Kill.Behavior = async (_, ct) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            throw new InvalidOperationException("unreachable");
        };

        var pending = _h.GitHubAlert.HandleAsync(GitHubAlert(SamplePayloads.GitHubAlert(), delivery: "d-slow"), CancellationToken.None);
        await _h.Kill.Called.Task;
        Assert.False(pending.IsCompleted);
        _h.Time.Advance(TimeSpan.FromSeconds(6));
        var result = await pending;

        Assert.Equal(200, Status(result));
        Assert.Equal([TestTokens.Id(1).Value], Assert.Single(_h.Queue.Disables).Tokens);
    }

    [Fact]
    public async Task When_the_hand_off_fails_the_sender_gets_5xx_and_the_delivery_stays_retryable()
    {
        _h.Kill.Behavior = (r, _) => Task.FromResult(RecordingKillService.Respond(r, TokenOutcomeKind.Failed));
        _h.Queue.Fail = true;
        var failed = await _h.GitHubAlert.HandleAsync(GitHubAlert(SamplePayloads.GitHubAlert(), delivery: "d-5xx"), CancellationToken.None);
        Assert.Equal(503, Status(failed));

        _h.Queue.Fail = false;
        _h.Kill.Behavior = (r, _) => Task.FromResult(RecordingKillService.Respond(r, TokenOutcomeKind.Disabled));
        var retried = await _h.GitHubAlert.HandleAsync(GitHubAlert(SamplePayloads.GitHubAlert(), delivery: "d-5xx"), CancellationToken.None);
        Assert.Equal(200, Status(retried));
        Assert.Equal(2, _h.Kill.CallCount);
    }

    [Fact]
    public async Task Needs_human_outcomes_are_reported_not_queued()
    {
        _h.Kill.Behavior = (r, _) => Task.FromResult(RecordingKillService.Respond(r, TokenOutcomeKind.NotFound));
        var result = await _h.GitHubAlert.HandleAsync(GitHubAlert(SamplePayloads.GitHubAlert()), CancellationToken.None);
        var summary = ((Engine.Sources.Http.WebhookResult)result).ReadBody(SourcesJsonContext.Default.OutcomeSummary)!;
        Assert.Equal(200, Status(result));
        Assert.Equal(1, summary.NeedsHuman);
        Assert.Empty(_h.Queue.Messages);
        Assert.Empty(_h.GitHub.Resolved);
    }

    [Fact]
    public async Task An_alert_whose_secret_is_not_a_dynatrace_token_is_a_needs_human_audit_record()
    {
        _h.GitHub.Secret = "not-a-dynatrace-token";
        var result = await _h.GitHubAlert.HandleAsync(GitHubAlert(SamplePayloads.GitHubAlert()), CancellationToken.None);
        Assert.Equal(200, Status(result));
        Assert.Equal(0, _h.Kill.CallCount);
        var record = Assert.Single(_h.Audit.Records);
        Assert.Equal("NeedsHuman", record.Outcome);
        Assert.DoesNotContain("not-a-dynatrace-token", record.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secret_with_surroundings_from_a_custom_pattern_is_scanned()
    {
        _h.GitHub.Secret = "DT_TOKEN=" + TestTokens.Classic(7) + ";";
        var result = await _h.GitHubAlert.HandleAsync(GitHubAlert(SamplePayloads.GitHubAlert()), CancellationToken.None);
        Assert.Equal(200, Status(result));
        Assert.Equal(TestTokens.Id(7), Assert.Single(_h.Kill.AllLeaks).TokenId);
    }

    [Fact]
    public async Task Missing_delivery_or_event_headers_are_400()
    {
        var body = SamplePayloads.GitHubAlert();
        var noEvent = GitHubAlert(body);
        noEvent.Headers.Remove(GitHubAlertEndpoint.EventHeader);
        var noDelivery = GitHubAlert(body);
        noDelivery.Headers.Remove(GitHubAlertEndpoint.DeliveryHeader);
        Assert.Equal(400, Status(await _h.GitHubAlert.HandleAsync(noEvent, CancellationToken.None)));
        Assert.Equal(400, Status(await _h.GitHubAlert.HandleAsync(noDelivery, CancellationToken.None)));
        Assert.Equal(0, _h.Kill.CallCount);
    }

    [Fact]
    public async Task Without_a_configured_secret_nothing_is_accepted()
    {
        using var h = SourcesHarness.Create(s => s.Remove("Sources:GitHub:WebhookSecret"));
        var result = await h.GitHubAlert.HandleAsync(GitHubAlert(SamplePayloads.GitHubAlert()), CancellationToken.None);
        Assert.Equal(503, Status(result));
        Assert.Equal(0, h.Kill.CallCount);
    }

    [Fact]
    public async Task Dedupe_fails_open_when_the_ledger_is_down()
    {
        using var h = SourcesHarness.Create(services: s => s.AddSingleton<Engine.Sources.Deliveries.IDeliveryClaims>(new BrokenDeliveryClaims()));
        var result = await h.GitHubAlert.HandleAsync(GitHubAlert(SamplePayloads.GitHubAlert()), CancellationToken.None);
        Assert.Equal(200, Status(result));
        Assert.Equal(1, h.Kill.CallCount);
    }

    private sealed class BrokenDeliveryClaims : Engine.Sources.Deliveries.IDeliveryClaims
    {
        public Task<Engine.Sources.Deliveries.DeliveryClaim> ClaimAsync(string source, string key, TimeSpan lease, TimeSpan retention, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("storage down");

        public Task CompleteAsync(Engine.Sources.Deliveries.DeliveryClaim claim, CancellationToken cancellationToken) => throw new InvalidOperationException("storage down");

        public Task ReleaseAsync(Engine.Sources.Deliveries.DeliveryClaim claim, CancellationToken cancellationToken) => throw new InvalidOperationException("storage down");
    }
}
