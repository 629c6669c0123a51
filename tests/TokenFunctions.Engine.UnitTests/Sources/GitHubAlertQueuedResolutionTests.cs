using System.Text;
using Microsoft.Extensions.DependencyInjection;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Ledger;
using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Sources;
using TokenFunctions.Engine.Sources.GitHub;
using TokenFunctions.Engine.Tests.Sources.Support;
using static TokenFunctions.Engine.Tests.Sources.Support.WebhookRequests;
using IncidentTestHost = TokenFunctions.Engine.Incidents.Testing.IncidentTestHost;
using StaticOptionsMonitor = TokenFunctions.Engine.Incidents.Testing.StaticOptionsMonitor<TokenFunctions.Engine.Incidents.IncidentsOptions>;

namespace TokenFunctions.Engine.UnitTests.Sources;

/// <summary>
/// A GitHub alert whose Dynatrace is down: the webhook hands the token to the incident queue with the alert reference, and
/// the queue, once it has disabled the token, resolves the alert through the follow-up <c>AddLeakSources</c> registers.
/// The hand-off travels through the real serializer and parser, as it would through Service Bus.
/// </summary>
public sealed class GitHubAlertQueuedResolutionTests : IDisposable
{
    private readonly SourcesHarness _h = SourcesHarness.Create();
    private readonly IncidentTestHost _queue = new();

    public GitHubAlertQueuedResolutionTests() => _queue.FollowUps.AddRange(_h.Services.GetServices<IIncidentFollowUp>());

    public void Dispose()
    {
        _queue.Dispose();
        _h.Dispose();
    }

    [Fact]
    public async Task Dynatrace_down_hands_off_with_the_alert_and_the_queue_disables_the_token_and_resolves_the_alert_once()
    {
        var body = await HandOffAsync("d-down");

        var message = Assert.Single(_h.Queue.Disables);
        Assert.Equal(new GitHubAlertReference { Owner = "octo-org", Repository = "hello", Number = 42 }, message.GitHubAlert);
        Assert.Contains("\"gitHubAlert\":{\"owner\":\"octo-org\",\"repository\":\"hello\",\"number\":42}", body, StringComparison.Ordinal);
        Assert.DoesNotContain(TestTokens.SecretPart(1), body, StringComparison.Ordinal);
        Assert.Empty(_h.GitHub.Resolved);

        // Dynatrace is back when the queue delivers the message.
        var decision = await _queue.DeliverAsync(body, "sb-1");

        Assert.IsType<SettlementDecision.Complete>(decision);
        Assert.Equal(TestTokens.Id(1), Assert.Single(_queue.Kill.Leaks).TokenId);
        var (alert, comment) = Assert.Single(_h.GitHub.Resolved);
        Assert.Equal(new GitHubAlertRef("octo-org", "hello", 42), alert);
        Assert.Equal($"Dynatrace token {TestTokens.Id(1).Value} disabled by TokenFunctions (delivery d-down).", comment);
        Assert.DoesNotContain(_h.Audit.Records, r => r.Action == "resolve-alert");

        // Service Bus redelivers (lock lost after completion) and a duplicate send arrives: neither resolves again.
        Assert.IsType<SettlementDecision.Complete>(await _queue.DeliverAsync(body, "sb-1", deliveryCount: 2));
        Assert.IsType<SettlementDecision.Complete>(await _queue.DeliverAsync(body, "sb-2"));
        Assert.Single(_h.GitHub.Resolved);
        Assert.Single(_queue.Kill.Requests);
    }

    [Fact]
    public async Task Still_down_on_the_first_queue_delivery_resolves_only_when_the_redelivery_disables_it()
    {
        var body = await HandOffAsync("d-later");
        _queue.Kill.Decide = (_, attempt) => attempt == 1 ? TokenOutcomeKind.Failed : TokenOutcomeKind.AlreadyDisabled;

        var decisions = await _queue.DeliverUntilSettledAsync(body);

        Assert.Equal(2, decisions.Count);
        Assert.IsType<SettlementDecision.Abandon>(decisions[0]);
        Assert.IsType<SettlementDecision.Complete>(decisions[1]);
        var (_, comment) = Assert.Single(_h.GitHub.Resolved);
        Assert.Contains(TestTokens.Id(1).Value, comment, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TokenOutcomeKind.Denied)]
    [InlineData(TokenOutcomeKind.CannotDisableOwnCredential)]
    [InlineData(TokenOutcomeKind.NotFound)]
    [InlineData(TokenOutcomeKind.Protected)]
    public async Task A_token_the_queue_could_not_disable_leaves_the_alert_open(TokenOutcomeKind outcome)
    {
        var body = await HandOffAsync("d-human");
        _queue.Kill.Decide = (_, _) => outcome;

        var decision = await _queue.DeliverAsync(body);

        Assert.IsNotType<SettlementDecision.Abandon>(decision);
        Assert.Empty(_h.GitHub.Resolved);
    }

    [Fact]
    public async Task A_resolution_GitHub_refuses_is_audited_and_the_message_completes_without_retrying()
    {
        var body = await HandOffAsync("d-nope");
        _h.GitHub.Resolve = (_, _) => Task.FromResult(GitHubResolveStatus.Refused);

        var decision = await _queue.DeliverAsync(body);

        Assert.IsType<SettlementDecision.Complete>(decision);
        Assert.Single(_h.GitHub.Attempts);
        var record = Assert.Single(_h.Audit.Records, r => r.Action == "resolve-alert");
        Assert.Equal("Failed", record.Outcome);
        Assert.Equal(SourceNames.GitHubAlert, record.Source);
        Assert.Equal("d-nope", record.CorrelationId);
        Assert.Equal("octo-org/hello#42", record.Detail);

        // Not retried: the token is disabled and GitHub will not take the resolution (no permission, alert gone).
        Assert.IsType<SettlementDecision.Complete>(await _queue.DeliverAsync(body, "message-1", deliveryCount: 2));
        Assert.Single(_h.GitHub.Attempts);
    }

    [Fact]
    public async Task A_resolution_that_fails_transiently_is_retried_by_redelivery_without_touching_dynatrace_again()
    {
        var body = await HandOffAsync("d-flaky");
        _queue.Kill.Decide = (_, _) => TokenOutcomeKind.Disabled;
        _h.GitHub.Resolve = (attempt, _) => Task.FromResult(attempt < 3 ? GitHubResolveStatus.Failed : GitHubResolveStatus.Resolved);

        var decisions = await _queue.DeliverUntilSettledAsync(body);

        Assert.Equal(3, decisions.Count);
        Assert.All(decisions.Take(2), d => Assert.Contains("octo-org/hello#42", Assert.IsType<SettlementDecision.Abandon>(d).Summary, StringComparison.Ordinal));
        Assert.IsType<SettlementDecision.Complete>(decisions[2]);
        Assert.Single(_h.GitHub.Resolved);
        Assert.Single(_queue.Kill.Requests); // the redeliveries found the token finished in the ledger
        Assert.DoesNotContain(_h.Audit.Records, r => r.Action == "resolve-alert");
    }

    [Fact]
    public async Task A_resolution_still_failing_on_the_last_delivery_is_dead_lettered_and_a_resubmission_resolves_it()
    {
        var body = await HandOffAsync("d-github-down");
        _queue.Kill.Decide = (_, _) => TokenOutcomeKind.Disabled;
        var gitHubUp = false;
        _h.GitHub.Resolve = (_, _) => Task.FromResult(gitHubUp ? GitHubResolveStatus.Resolved : GitHubResolveStatus.Failed);

        var decisions = await _queue.DeliverUntilSettledAsync(body);

        var deadLetter = Assert.IsType<SettlementDecision.DeadLetter>(decisions[^1]);
        Assert.Equal(_queue.Options.MaxDeliveryCount, decisions.Count);
        Assert.Equal(DeadLetterReasons.RetriesExhausted, deadLetter.Reason);
        Assert.Contains("every token is disabled", deadLetter.Description, StringComparison.Ordinal);
        Assert.Contains("GitHub alert octo-org/hello#42", deadLetter.Description, StringComparison.Ordinal);
        Assert.Empty(_h.GitHub.Resolved);

        gitHubUp = true;
        Assert.IsType<SettlementDecision.Complete>(await _queue.DeliverAsync(body, "message-1-resubmitted"));
        Assert.Single(_h.GitHub.Resolved);
        Assert.Single(_queue.Kill.Requests);
    }

    [Fact]
    public async Task A_crash_after_the_PATCH_and_before_the_completion_is_saved_resolves_again_harmlessly_on_redelivery()
    {
        var crashed = false;
        var progress = new FakeIncidentProgressStore
        {
            // As a crash right before the first save of a completion would.
            BeforeSave = p =>
            {
                if (p.State == IncidentProgressState.Completed && !crashed)
                {
                    crashed = true;
                    throw new InvalidOperationException("process died");
                }
            },
        };
        using var queue = new IncidentTestHost(progress: progress);
        queue.FollowUps.AddRange(_h.Services.GetServices<IIncidentFollowUp>());
        var body = await HandOffAsync("d-crash");

        Assert.IsType<SettlementDecision.Abandon>(await queue.DeliverAsync(body, "sb-1")); // the save threw
        Assert.Single(_h.GitHub.Resolved);

        // The lock expires and Service Bus redelivers: the completion was never saved, so the resolution runs again.
        queue.Time.Advance(queue.Options.WorkBudgetPerDelivery + queue.Options.LeaseGrace);
        Assert.IsType<SettlementDecision.Complete>(await queue.DeliverAsync(body, "sb-1", deliveryCount: 2));
        Assert.Equal(2, _h.GitHub.Resolved.Count);
        Assert.Single(queue.Kill.Requests);
    }

    [Fact]
    public async Task An_inline_deadline_that_cuts_the_resolution_leaves_a_queued_resolution_that_the_queue_completes()
    {
        using var queue = new IncidentTestHost();
        using var h = SourcesHarness.Create(services: s => s.AddSingleton(queue.Ledger));
        queue.FollowUps.AddRange(h.Services.GetServices<IIncidentFollowUp>());
        h.GitHub.Resolve = async (attempt, ct) =>
        {
            if (attempt > 1)
            {
                return GitHubResolveStatus.Resolved;
            }

            try
            {
                await Task.Delay(Timeout.Infinite, ct); // GitHub is slow; the inline deadline cuts it
                return GitHubResolveStatus.Resolved;
            }
            catch (OperationCanceledException)
            {
                return GitHubResolveStatus.Failed; // what the real client answers when cancelled
            }
        };

        var pending = h.GitHubAlert.HandleAsync(GitHubAlert(SamplePayloads.GitHubAlert(), delivery: "d-cut"), CancellationToken.None);
        await h.GitHub.ResolveCalled.Task;
        Assert.False(pending.IsCompleted);
        h.Time.Advance(TimeSpan.FromSeconds(6));
        var result = await pending;

        // The token was disabled inline and the caller hears so; the alert's resolution is queued, not lost.
        Assert.Equal(200, Status(result));
        Assert.Equal(1, h.Kill.CallCount);
        Assert.Empty(h.GitHub.Resolved);
        var message = Assert.Single(h.Queue.Disables);
        Assert.Equal("github-alert:d-cut", message.IncidentId);
        Assert.Equal([TestTokens.Id(1).Value], message.Tokens);
        Assert.Equal(new GitHubAlertReference { Owner = "octo-org", Repository = "hello", Number = 42 }, message.GitHubAlert);
        var queued = Assert.Single(h.Audit.Records, r => r.Action == "resolve-alert");
        Assert.Equal(("Queued", "d-cut", "octo-org/hello#42"), (queued.Outcome, queued.CorrelationId, queued.Detail));

        // A later run: the incident processor takes the message, finds the token finished in the ledger, resolves the alert.
        var decision = await queue.DeliverAsync(Wire(message), "sb-cut");

        Assert.IsType<SettlementDecision.Complete>(decision);
        var (alert, comment) = Assert.Single(h.GitHub.Resolved);
        Assert.Equal(new GitHubAlertRef("octo-org", "hello", 42), alert);
        Assert.Equal($"Dynatrace token {TestTokens.Id(1).Value} disabled by TokenFunctions (delivery d-cut).", comment);
        Assert.Empty(queue.Kill.Requests); // no second round with Dynatrace (notifications, leak rotation)
    }

    [Fact]
    public async Task Without_the_incident_ledger_the_queued_resolution_checks_the_tokens_again_and_still_resolves()
    {
        _h.GitHub.Resolve = (attempt, _) => Task.FromResult(attempt == 1 ? GitHubResolveStatus.Failed : GitHubResolveStatus.Resolved);
        Assert.Equal(200, Status(await _h.GitHubAlert.HandleAsync(GitHubAlert(SamplePayloads.GitHubAlert(), delivery: "d-noledger"), CancellationToken.None)));
        _queue.Kill.Decide = (_, _) => TokenOutcomeKind.AlreadyDisabled;

        Assert.IsType<SettlementDecision.Complete>(await _queue.DeliverAsync(Wire(Assert.Single(_h.Queue.Disables))));

        Assert.Equal(TestTokens.Id(1), Assert.Single(_queue.Kill.Leaks).TokenId);
        Assert.Single(_h.GitHub.Resolved);
    }

    [Fact]
    public async Task A_dry_run_disable_never_resolves_the_alert()
    {
        await HandOffAsync("d-dry");
        var dryRun = Assert.Single(_h.Queue.Disables) with { DryRun = true };
        _queue.Kill.Decide = (_, _) => TokenOutcomeKind.AlreadyDisabled;

        Assert.IsType<SettlementDecision.Complete>(await _queue.DeliverAsync(Wire(dryRun)));

        Assert.Empty(_h.GitHub.Resolved);
    }

    [Fact]
    public async Task With_ResolveAlerts_off_the_queue_leaves_the_alert_open()
    {
        using var h = SourcesHarness.Create(s => s["Sources:GitHub:ResolveAlerts"] = "false");
        using var queue = new IncidentTestHost();
        queue.FollowUps.AddRange(h.Services.GetServices<IIncidentFollowUp>());
        h.Kill.Behavior = (r, _) => Task.FromResult(RecordingKillService.Respond(r, TokenOutcomeKind.Failed));
        Assert.Equal(200, Status(await h.GitHubAlert.HandleAsync(GitHubAlert(SamplePayloads.GitHubAlert(), delivery: "d-off"), CancellationToken.None)));

        Assert.IsType<SettlementDecision.Complete>(await queue.DeliverAsync(Wire(Assert.Single(h.Queue.Disables))));

        Assert.Equal(TestTokens.Id(1), Assert.Single(queue.Kill.Leaks).TokenId);
        Assert.Empty(h.GitHub.Resolved);
    }

    [Fact]
    public async Task An_alert_with_a_token_settled_inline_as_not_disabled_is_handed_off_without_the_alert()
    {
        // Two tokens in one alert: the first is unknown to Dynatrace (a human must look), the second fails transiently.
        _h.GitHub.Secret = "A=" + TestTokens.Classic(1) + " B=" + TestTokens.Classic(2);
        _h.Kill.Behavior = (r, _) => Task.FromResult(new KillResult(r.Leaks.Select(l => new TokenOutcome
        {
            TokenId = l.TokenId,
            Outcome = l.TokenId == TestTokens.Id(1) ? TokenOutcomeKind.NotFound : TokenOutcomeKind.Failed,
        }).ToList()));

        Assert.Equal(200, Status(await _h.GitHubAlert.HandleAsync(GitHubAlert(SamplePayloads.GitHubAlert(), delivery: "d-mixed"), CancellationToken.None)));

        var message = Assert.Single(_h.Queue.Disables);
        Assert.Equal([TestTokens.Id(2).Value], message.Tokens);
        Assert.Null(message.GitHubAlert);
        Assert.IsType<SettlementDecision.Complete>(await _queue.DeliverAsync(Wire(message)));
        Assert.Empty(_h.GitHub.Resolved);
    }

    [Fact]
    public async Task An_alert_with_one_token_disabled_inline_and_one_queued_is_resolved_by_the_queue()
    {
        _h.GitHub.Secret = "A=" + TestTokens.Classic(1) + " B=" + TestTokens.Classic(2);
        _h.Kill.Behavior = (r, _) => Task.FromResult(new KillResult(r.Leaks.Select(l => new TokenOutcome
        {
            TokenId = l.TokenId,
            Outcome = l.TokenId == TestTokens.Id(1) ? TokenOutcomeKind.Disabled : TokenOutcomeKind.Failed,
        }).ToList()));

        Assert.Equal(200, Status(await _h.GitHubAlert.HandleAsync(GitHubAlert(SamplePayloads.GitHubAlert(), delivery: "d-half"), CancellationToken.None)));
        Assert.Empty(_h.GitHub.Resolved);
        var message = Assert.Single(_h.Queue.Disables);
        Assert.NotNull(message.GitHubAlert);

        Assert.IsType<SettlementDecision.Complete>(await _queue.DeliverAsync(Wire(message)));

        var (_, comment) = Assert.Single(_h.GitHub.Resolved);
        Assert.Contains(TestTokens.Id(2).Value, comment, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_disable_from_another_producer_carries_no_alert_and_resolves_nothing()
    {
        var generic = new DisableMessage { IncidentId = "INC-7", Tokens = [TestTokens.Id(1).Value], Source = "sentinel" };

        Assert.IsType<SettlementDecision.Complete>(await _queue.DeliverAsync(Wire(generic)));

        Assert.Empty(_h.GitHub.Resolved);
    }

    /// <summary>The GitHub webhook meets a Dynatrace that fails every call; returns the hand-off as it travels.</summary>
    private async Task<string> HandOffAsync(string delivery)
    {
        _h.Kill.Behavior = (r, _) => Task.FromResult(RecordingKillService.Respond(r, TokenOutcomeKind.Failed));
        var result = await _h.GitHubAlert.HandleAsync(GitHubAlert(SamplePayloads.GitHubAlert(), delivery: delivery), CancellationToken.None);
        Assert.Equal(200, Status(result));
        Assert.Empty(_h.GitHub.Resolved);
        return Wire(Assert.Single(_h.Queue.Disables));
    }

    private static string Wire(DisableMessage message) =>
        Encoding.UTF8.GetString(new IncidentMessageSerializer(new StaticOptionsMonitor(new IncidentsOptions())).Serialize(message).Body.Span);
}
