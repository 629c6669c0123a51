using TokenFunctions.Engine.Incidents.Ledger;
using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Engine.Incidents.Testing;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Incidents;

/// <summary>
/// <see cref="IIncidentFollowUp"/>s run when a real <c>disable</c> finishes with every token Disabled or AlreadyDisabled,
/// before its completion is saved: until each says done (a retry abandons the message, the redelivery skips the tokens),
/// and never again once the completion is saved. A throwing follow-up is a bug and does not change the settlement.
/// </summary>
public sealed class IncidentProcessorFollowUpTests : IDisposable
{
    private readonly IncidentTestHost _host = new();
    private readonly RecordingIncidentFollowUp _followUp = new();

    public IncidentProcessorFollowUpTests() => _host.FollowUps.Add(_followUp);

    public void Dispose() => _host.Dispose();

    private static string Disable(IEnumerable<string> tokens, bool dryRun = false) =>
        $$"""{ "version": 1, "type": "disable", "incidentId": "github-alert:d-1", "source": "github-alert", "dryRun": {{(dryRun ? "true" : "false")}}, "tokens": [{{string.Join(", ", tokens.Select(t => $"\"{t}\""))}}], "gitHubAlert": { "owner": "octo-org", "repository": "hello", "number": 42 } }""";

    private static readonly string[] TwoIds = [TestTokens.ClassicId(1), TestTokens.ClassicId(2)];

    [Fact]
    public async Task A_fully_disabled_message_runs_the_follow_ups_once_with_every_token_id()
    {
        _host.Kill.Decide = (leak, _) => leak.TokenId.Value == TestTokens.ClassicId(2) ? TokenOutcomeKind.AlreadyDisabled : TokenOutcomeKind.Disabled;

        var decision = await _host.DeliverAsync(Disable([.. TwoIds, TestTokens.NumberedSecret(1)]));

        Assert.IsType<SettlementDecision.Complete>(decision);
        var (message, disabled) = Assert.Single(_followUp.Calls);
        Assert.Equal(TwoIds, disabled.Select(id => id.Value));
        Assert.Equal("github-alert:d-1", message.IncidentId);
        Assert.Equal(new GitHubAlertReference { Owner = "octo-org", Repository = "hello", Number = 42 }, message.GitHubAlert);
    }

    [Fact]
    public async Task A_redelivery_or_a_duplicate_of_a_completed_message_does_not_run_them_again()
    {
        var body = Disable(TwoIds);
        Assert.IsType<SettlementDecision.Complete>(await _host.DeliverAsync(body, "message-1", deliveryCount: 1));
        Assert.IsType<SettlementDecision.Complete>(await _host.DeliverAsync(body, "message-1", deliveryCount: 2));
        Assert.IsType<SettlementDecision.Complete>(await _host.DeliverAsync(body, "message-2", deliveryCount: 1));

        Assert.Single(_followUp.Calls);
        Assert.Single(_host.Kill.Requests);
    }

    [Fact]
    public async Task A_transient_failure_defers_them_to_the_delivery_that_finishes()
    {
        _host.Kill.Decide = (leak, attempt) => leak.TokenId.Value == TestTokens.ClassicId(2) && attempt == 1 ? TokenOutcomeKind.Failed : TokenOutcomeKind.Disabled;

        var decisions = await _host.DeliverUntilSettledAsync(Disable(TwoIds));

        Assert.Equal(2, decisions.Count);
        Assert.IsType<SettlementDecision.Abandon>(decisions[0]);
        Assert.IsType<SettlementDecision.Complete>(decisions[1]);
        var (_, disabled) = Assert.Single(_followUp.Calls);
        Assert.Equal(TwoIds, disabled.Select(id => id.Value)); // the token finished on delivery 1 counts too
    }

    [Fact]
    public async Task A_follow_up_asking_for_a_retry_abandons_and_the_redelivery_runs_it_again_without_the_kill_switch()
    {
        _followUp.Answer = call => call == 1 ? FollowUpResult.Retry("GitHub alert o/r#1 could not be resolved yet") : FollowUpResult.Done;

        var decisions = await _host.DeliverUntilSettledAsync(Disable(TwoIds));

        Assert.Equal(2, decisions.Count);
        var abandon = Assert.IsType<SettlementDecision.Abandon>(decisions[0]);
        Assert.Contains("GitHub alert o/r#1 could not be resolved yet", abandon.Summary, StringComparison.Ordinal);
        Assert.Equal("follow-up pending", abandon.PropertiesToModify[IncidentProcessor.PropertyPrefix + "last-result"]);
        Assert.IsType<SettlementDecision.Complete>(decisions[1]);
        Assert.Equal(2, _followUp.Calls.Count);
        Assert.Single(_host.Kill.Requests); // the tokens were finished in the ledger
        Assert.Contains(_host.Logger.Lines, l => l.Contains("follow-up RecordingIncidentFollowUp not done on delivery 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_follow_up_still_pending_on_the_last_delivery_dead_letters_with_what_remains()
    {
        _followUp.Answer = _ => FollowUpResult.Retry("GitHub alert o/r#1 could not be resolved yet");

        var decisions = await _host.DeliverUntilSettledAsync(Disable(TwoIds));

        Assert.Equal(_host.Options.MaxDeliveryCount, decisions.Count);
        var deadLetter = Assert.IsType<SettlementDecision.DeadLetter>(decisions[^1]);
        Assert.Equal(DeadLetterReasons.RetriesExhausted, deadLetter.Reason);
        Assert.Contains("github-alert:d-1", deadLetter.Description, StringComparison.Ordinal);
        Assert.Contains("every token is disabled", deadLetter.Description, StringComparison.Ordinal);
        Assert.Contains("GitHub alert o/r#1 could not be resolved yet", deadLetter.Description, StringComparison.Ordinal);
        Assert.Single(_host.Kill.Requests);
    }

    [Fact]
    public void A_retry_needs_a_reason()
    {
        Assert.False(FollowUpResult.Done.ShouldRetry);
        Assert.True(FollowUpResult.Retry("later").ShouldRetry);
        Assert.Throws<ArgumentException>(() => FollowUpResult.Retry(" "));
    }

    [Theory]
    [InlineData(TokenOutcomeKind.Denied)]
    [InlineData(TokenOutcomeKind.CannotDisableOwnCredential)]
    public async Task A_token_needing_a_human_means_no_follow_up_until_a_resubmission_disables_it(TokenOutcomeKind refused)
    {
        var fixedCredential = false;
        _host.Kill.Decide = (leak, _) => leak.TokenId.Value == TestTokens.ClassicId(2) && !fixedCredential ? refused : TokenOutcomeKind.Disabled;
        var body = Disable(TwoIds);

        var deadLetter = Assert.IsType<SettlementDecision.DeadLetter>(await _host.DeliverAsync(body, "message-1"));
        Assert.Equal(DeadLetterReasons.NeedsHuman, deadLetter.Reason);
        Assert.Empty(_followUp.Calls);

        // The operator fixes the credential and resubmits the dead letter.
        fixedCredential = true;
        Assert.IsType<SettlementDecision.Complete>(await _host.DeliverAsync(body, "message-1-resubmitted"));
        Assert.Single(_followUp.Calls);
    }

    [Theory]
    [InlineData(TokenOutcomeKind.NotFound)]
    [InlineData(TokenOutcomeKind.Protected)]
    [InlineData(TokenOutcomeKind.Unsupported)]
    public async Task A_token_settled_without_being_disabled_completes_the_message_without_follow_up(TokenOutcomeKind settled)
    {
        _host.Kill.Decide = (leak, _) => leak.TokenId.Value == TestTokens.ClassicId(2) ? settled : TokenOutcomeKind.Disabled;

        Assert.IsType<SettlementDecision.Complete>(await _host.DeliverAsync(Disable(TwoIds)));

        Assert.Empty(_followUp.Calls);
    }

    [Theory]
    [InlineData(TokenOutcomeKind.Disabled)] // the kill-switch reports WouldDisable
    [InlineData(TokenOutcomeKind.AlreadyDisabled)] // a dry run sees the token already disabled
    public async Task A_dry_run_never_runs_them(TokenOutcomeKind kind)
    {
        _host.Kill.Decide = (_, _) => kind;

        Assert.IsType<SettlementDecision.Complete>(await _host.DeliverAsync(Disable(TwoIds, dryRun: true)));

        Assert.Empty(_followUp.Calls);
        Assert.All(_host.Kill.Requests, r => Assert.True(r.DryRun));
    }

    [Fact]
    public async Task A_throwing_follow_up_is_logged_redacted_and_neither_fails_the_message_nor_stops_the_others()
    {
        var secret = TestTokens.NumberedSecret(9);
        var second = new RecordingIncidentFollowUp();
        _host.FollowUps.Clear();
        _host.FollowUps.Add(new RecordingIncidentFollowUp { Failure = new InvalidOperationException("GitHub said no to " + secret) });
        _host.FollowUps.Add(new RecordingIncidentFollowUp { Failure = new OperationCanceledException("cancelled") });
        _host.FollowUps.Add(second);

        var decision = await _host.DeliverAsync(Disable(TwoIds));

        Assert.IsType<SettlementDecision.Complete>(decision);
        Assert.Single(second.Calls);
        Assert.Equal(2, _host.Logger.Lines.Count(l => l.Contains("follow-up RecordingIncidentFollowUp failed", StringComparison.Ordinal)));
        Assert.Contains(TestTokens.ClassicId(9), _host.Logger.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(TestTokens.NumberedSecretPart(9), _host.Logger.AllText, StringComparison.Ordinal);
        Assert.Equal(IncidentProgressState.Completed, (await _host.Progress.GetAsync("github-alert:d-1", IncidentMessageSerializer.WorkIdOf(Parse(Disable(TwoIds))), CancellationToken.None))!.State);
    }

    [Fact]
    public async Task Other_message_types_never_run_them()
    {
        _host.Kill.DecideEnable = (_, _) => TokenOutcomeKind.Enabled;
        var enable = $$"""{ "version": 1, "type": "enable", "incidentId": "INC-E", "tokenIds": ["{{TestTokens.ClassicId(1)}}"], "requestedBy": "bob", "reason": "false positive" }""";

        Assert.IsType<SettlementDecision.Complete>(await _host.DeliverAsync(enable));

        Assert.Empty(_followUp.Calls);
    }

    private static IncidentMessage Parse(string json) =>
        new IncidentMessageParser(new StaticOptionsMonitor<IncidentsOptions>(new IncidentsOptions())).Parse(System.Text.Encoding.UTF8.GetBytes(json)).Message!;
}
