using TokenFunctions.Engine.Incidents.Ledger;
using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Engine.Incidents.Testing;
using TokenFunctions.Engine.Kill;

namespace TokenFunctions.Engine.Incidents;

public sealed class IncidentProcessorDisableTests : IDisposable
{
    private readonly IncidentTestHost _host = new();

    public void Dispose() => _host.Dispose();

    private static string Disable(IEnumerable<string> tokens, string incidentId = "INC-1", bool dryRun = false, string extra = "") =>
        $$"""{ "version": 1, "type": "disable", "incidentId": "{{incidentId}}", "dryRun": {{(dryRun ? "true" : "false")}}, "tokens": [{{string.Join(", ", tokens.Select(t => $"\"{t}\""))}}]{{extra}} }""";

    private static IEnumerable<string> Ids(int from, int count) => Enumerable.Range(from, count).Select(TestTokens.ClassicId);

    public static TheoryData<string, string> InvalidMessages => new()
    {
        { "{ not json", DeadLetterReasons.InvalidJson },
        { """{ "version": 1, "type": "obliterate", "incidentId": "I" }""", DeadLetterReasons.UnknownType },
        { """{ "version": 7, "type": "disable", "incidentId": "I", "tokens": ["dt0c01.ABCDEFGH"] }""", DeadLetterReasons.UnsupportedVersion },
        { """{ "version": 1, "type": "disable", "incidentId": "I", "tokens": ["dt0c01.ABCDEFGH", "password123"] }""", DeadLetterReasons.SchemaViolation },
        { """{ "version": 1, "type": "kill-switch", "incidentId": "I", "requestedBy": "soc", "selector": { } }""", DeadLetterReasons.SchemaViolation },
        { """{ "version": 1, "type": "enable", "incidentId": "I", "tokenIds": ["dt0c01.ABCDEFGH"], "reason": "fp" }""", DeadLetterReasons.SchemaViolation },
    };

    [Theory]
    [MemberData(nameof(InvalidMessages))]
    public async Task Invalid_messages_are_dead_lettered_at_once_without_a_kill_switch_call(string body, string reason)
    {
        var decision = await _host.DeliverAsync(body, deliveryCount: 1);

        var deadLetter = Assert.IsType<SettlementDecision.DeadLetter>(decision);
        Assert.Equal(reason, deadLetter.Reason);
        Assert.False(string.IsNullOrWhiteSpace(deadLetter.Description));
        Assert.Empty(_host.Kill.Requests);
        Assert.Empty(_host.Kill.EnableCalls);
        Assert.Equal(1, _host.Metrics.Sum("tokenfunctions.deadletters", "reason", reason));
        Assert.Equal(0, _host.Metrics.Sum("tokenfunctions.alerts.received"));
    }

    [Fact]
    public async Task A_valid_disable_message_completes_after_one_kill_switch_call_carrying_the_message_context()
    {
        var secret = TestTokens.NumberedSecret(2);
        var body = Disable([TestTokens.ClassicId(1), secret, TestTokens.ClassicId(2)], extra: """, "environment": "prod", "source": "sentinel", "reason": "seen in a paste", "requestedBy": "soc@example.com", "location": "https://paste.example/x" """);

        var decision = await _host.DeliverAsync(body);

        Assert.IsType<SettlementDecision.Complete>(decision);
        var request = Assert.Single(_host.Kill.Requests);
        Assert.False(request.DryRun);
        Assert.Equal([TestTokens.ClassicId(1), TestTokens.ClassicId(2)], request.Leaks.Select(l => l.TokenId.Value));
        var withSecret = request.Leaks[1];
        Assert.Equal(secret, withSecret.Secret!.Reveal());
        Assert.All(request.Leaks, l =>
        {
            Assert.Equal("INC-1", l.CorrelationId);
            Assert.Equal("prod", l.OwnerHint);
            Assert.Equal("sentinel", l.Source);
            Assert.Equal("seen in a paste", l.Reason);
            Assert.Equal("soc@example.com", l.RequestedBy);
            Assert.Equal("https://paste.example/x", l.Location);
        });
        Assert.Equal(1, _host.Metrics.Sum("tokenfunctions.alerts.received", "source", "queue"));
    }

    [Fact]
    public async Task The_dry_run_flag_reaches_the_kill_switch_and_a_dry_run_never_makes_the_real_run_skip_tokens()
    {
        Assert.IsType<SettlementDecision.Complete>(await _host.DeliverAsync(Disable(Ids(1, 3), dryRun: true), "dry"));
        Assert.IsType<SettlementDecision.Complete>(await _host.DeliverAsync(Disable(Ids(1, 3), dryRun: false), "real"));

        Assert.Equal([true, false], _host.Kill.Requests.Select(r => r.DryRun));
        Assert.Equal(3, _host.Kill.Requests[1].Leaks.Count);
    }

    [Fact]
    public async Task A_transient_failure_abandons_with_progress_and_the_redelivery_retries_only_the_failing_tokens()
    {
        var failing = new HashSet<string> { TestTokens.ClassicId(3), TestTokens.ClassicId(7) };
        _host.Kill.Decide = (leak, attempt) => failing.Contains(leak.TokenId.Value) && attempt == 1 ? TokenOutcomeKind.Failed : TokenOutcomeKind.Disabled;
        var body = Disable(Ids(1, 10));

        var first = await _host.DeliverAsync(body, deliveryCount: 1);
        var second = await _host.DeliverAsync(body, deliveryCount: 2);

        var abandon = Assert.IsType<SettlementDecision.Abandon>(first);
        Assert.Equal(2, abandon.PropertiesToModify["tf-failing"]);
        Assert.Equal(8L, abandon.PropertiesToModify["tf-succeeded"]);
        Assert.Equal("INC-1", abandon.PropertiesToModify["tf-incident-id"]);
        Assert.IsType<SettlementDecision.Complete>(second);
        Assert.Equal(failing.Order(), _host.Kill.Requests[1].Leaks.Select(l => l.TokenId.Value).Order());
        Assert.Equal(10, _host.Kill.Disabled.Count);
        Assert.All(_host.Kill.Disabled.Values, count => Assert.Equal(1, count));
    }

    [Fact]
    public async Task On_the_last_delivery_remaining_failures_are_dead_lettered_with_their_token_ids()
    {
        _host.Options.MaxDeliveryCount = 3;
        _host.Kill.Decide = (leak, _) => leak.TokenId.Value == TestTokens.ClassicId(2) ? TokenOutcomeKind.Failed : TokenOutcomeKind.Disabled;

        var decisions = await _host.DeliverUntilSettledAsync(Disable(Ids(1, 3)));

        Assert.Equal(3, decisions.Count);
        Assert.All(decisions.Take(2), d => Assert.IsType<SettlementDecision.Abandon>(d));
        var deadLetter = Assert.IsType<SettlementDecision.DeadLetter>(decisions[^1]);
        Assert.Equal(DeadLetterReasons.RetriesExhausted, deadLetter.Reason);
        Assert.Contains("INC-1", deadLetter.Description, StringComparison.Ordinal);
        Assert.Contains("1 token(s) still failing transiently: " + TestTokens.ClassicId(2), deadLetter.Description, StringComparison.Ordinal);
        Assert.Contains("resubmit", deadLetter.Description, StringComparison.Ordinal);
        Assert.Equal(3, _host.Kill.Attempts(TestTokens.Id(TestTokens.ClassicId(2))));
        Assert.Equal(1, _host.Kill.Attempts(TestTokens.Id(TestTokens.ClassicId(1))));
        Assert.Equal(1, _host.Metrics.Sum("tokenfunctions.deadletters", "reason", DeadLetterReasons.RetriesExhausted));
    }

    [Fact]
    public async Task A_resubmitted_dead_letter_finishes_the_rest_without_repeating_finished_tokens()
    {
        _host.Options.MaxDeliveryCount = 1;
        _host.Kill.Decide = (leak, attempt) => leak.TokenId.Value == TestTokens.ClassicId(2) && attempt == 1 ? TokenOutcomeKind.Failed : TokenOutcomeKind.Disabled;
        var body = Disable(Ids(1, 3));

        Assert.IsType<SettlementDecision.DeadLetter>(await _host.DeliverAsync(body, "original"));
        Assert.IsType<SettlementDecision.Complete>(await _host.DeliverAsync(body, "resubmitted"));

        Assert.Equal([TestTokens.ClassicId(2)], _host.Kill.Requests[1].Leaks.Select(l => l.TokenId.Value));
        Assert.All(_host.Kill.Disabled.Values, count => Assert.Equal(1, count));
    }

    [Theory]
    [InlineData(TokenOutcomeKind.NotFound)]
    [InlineData(TokenOutcomeKind.Protected)]
    [InlineData(TokenOutcomeKind.Unsupported)]
    [InlineData(TokenOutcomeKind.AlreadyDisabled)]
    public async Task Final_outcomes_complete_the_message_and_are_not_retried(TokenOutcomeKind kind)
    {
        _host.Kill.Decide = (_, _) => kind;

        Assert.IsType<SettlementDecision.Complete>(await _host.DeliverAsync(Disable(Ids(1, 2))));
        Assert.IsType<SettlementDecision.Complete>(await _host.DeliverAsync(Disable(Ids(1, 2)), "duplicate"));

        Assert.Single(_host.Kill.Requests);
    }

    [Theory]
    [InlineData(TokenOutcomeKind.Denied)]
    [InlineData(TokenOutcomeKind.CannotDisableOwnCredential)]
    public async Task Outcomes_that_leave_a_live_token_dead_letter_for_a_human_listing_the_token(TokenOutcomeKind kind)
    {
        _host.Kill.Decide = (leak, _) => leak.TokenId.Value == TestTokens.ClassicId(2) ? kind : TokenOutcomeKind.Disabled;

        var decision = await _host.DeliverAsync(Disable(Ids(1, 3), extra: """, "environment": "prod" """));

        var deadLetter = Assert.IsType<SettlementDecision.DeadLetter>(decision);
        Assert.Equal(DeadLetterReasons.NeedsHuman, deadLetter.Reason);
        Assert.Contains($"{TestTokens.ClassicId(2)} {kind} in prod", deadLetter.Description, StringComparison.Ordinal);
        Assert.Contains("2 token(s) done", deadLetter.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_duplicate_message_after_completion_completes_without_acting()
    {
        var body = Disable(Ids(1, 5));
        Assert.IsType<SettlementDecision.Complete>(await _host.DeliverAsync(body, "first"));

        var reordered = $$"""{ "tokens": [{{string.Join(", ", Ids(1, 5).Select(t => $"\"{t}\""))}}], "dryRun": false, "incidentId": "INC-1", "type": "disable", "version": 1 }""";
        var duplicate = await _host.DeliverAsync(reordered, "second");

        var complete = Assert.IsType<SettlementDecision.Complete>(duplicate);
        Assert.Contains("duplicate", complete.Summary, StringComparison.Ordinal);
        Assert.Single(_host.Kill.Requests);
        Assert.Equal(1, _host.Metrics.Sum("tokenfunctions.alerts.received"));
    }

    [Fact]
    public async Task Another_message_for_the_same_incident_skips_tokens_the_incident_already_disabled()
    {
        Assert.IsType<SettlementDecision.Complete>(await _host.DeliverAsync(Disable(Ids(1, 3)), "first"));
        Assert.IsType<SettlementDecision.Complete>(await _host.DeliverAsync(Disable(Ids(2, 3)), "second"));
        Assert.IsType<SettlementDecision.Complete>(await _host.DeliverAsync(Disable(Ids(2, 3), incidentId: "INC-2"), "other-incident"));

        Assert.Equal([TestTokens.ClassicId(4)], _host.Kill.Requests[1].Leaks.Select(l => l.TokenId.Value));
        Assert.Equal(3, _host.Kill.Requests[2].Leaks.Count);
    }

    [Fact]
    public async Task A_copy_arriving_while_another_delivery_holds_the_lease_completes_without_acting()
    {
        var body = Disable(Ids(1, 2));
        var message = new IncidentMessageParser(new StaticOptionsMonitor<IncidentsOptions>(_host.Options)).Parse(System.Text.Encoding.UTF8.GetBytes(body)).Message!;
        await _host.Progress.TrySaveAsync(
            new IncidentProgress
            {
                IncidentId = "INC-1",
                WorkId = IncidentMessageSerializer.WorkIdOf(message),
                MessageType = "disable",
                LeaseOwner = "someone-else",
                LeaseUntil = _host.Time.GetUtcNow().AddMinutes(3),
            },
            CancellationToken.None);

        var decision = await _host.DeliverAsync(body, "copy");

        Assert.Contains("in-progress", Assert.IsType<SettlementDecision.Complete>(decision).Summary, StringComparison.Ordinal);
        Assert.Empty(_host.Kill.Requests);
    }

    [Fact]
    public async Task A_large_message_is_worked_in_batches_within_the_budget_and_each_token_is_disabled_once()
    {
        _host.Options.BatchSize = 100;
        _host.Options.WorkBudgetPerDelivery = TimeSpan.FromSeconds(25);
        _host.Kill.CostPerToken = TimeSpan.FromMilliseconds(100);

        var decisions = await _host.DeliverUntilSettledAsync(Disable(Ids(1, 1000)));

        Assert.IsType<SettlementDecision.Complete>(decisions[^1]);
        Assert.True(decisions.Count >= 4, $"expected several deliveries, got {decisions.Count}");
        Assert.All(decisions.Take(decisions.Count - 1), d => Assert.Equal("work budget spent", ((SettlementDecision.Abandon)d).PropertiesToModify["tf-last-result"]));
        Assert.Equal(1000, _host.Kill.Disabled.Count);
        Assert.All(_host.Kill.Disabled.Values, count => Assert.Equal(1, count));
        Assert.All(_host.Kill.Requests, r => Assert.True(r.Leaks.Count <= 100));
    }

    [Fact]
    public async Task Secrets_in_the_body_and_in_kill_switch_details_reach_no_description_and_no_log_line()
    {
        _host.Options.MaxDeliveryCount = 2;
        var secrets = Enumerable.Range(1, 4).Select(TestTokens.NumberedSecret).ToList();
        _host.Kill.Decide = (leak, _) => leak.TokenId.Value == TestTokens.ClassicId(1) ? TokenOutcomeKind.Denied : TokenOutcomeKind.Failed;
        _host.Kill.Detail = id => $"Dynatrace said: token {secrets[0]} is invalid";
        var body = Disable(secrets, extra: $$""", "reason": "found {{secrets[3]}} in a repo", "location": "https://x/{{secrets[2]}}" """);

        var decisions = await _host.DeliverUntilSettledAsync(body);

        var deadLetter = Assert.IsType<SettlementDecision.DeadLetter>(decisions[^1]);
        Assert.Equal(DeadLetterReasons.RetriesExhausted, deadLetter.Reason);
        Assert.Contains(TestTokens.ClassicId(2), deadLetter.Description, StringComparison.Ordinal);
        var everything = string.Join('\n', decisions.Select(d => d.Summary)) + _host.Logger.AllText
            + string.Join('\n', decisions.OfType<SettlementDecision.Abandon>().SelectMany(a => a.PropertiesToModify.Values));
        foreach (var i in Enumerable.Range(1, 4))
        {
            Assert.DoesNotContain(TestTokens.NumberedSecretPart(i), everything, StringComparison.Ordinal);
        }

        Assert.All(_host.Kill.Leaks, l =>
        {
            Assert.DoesNotContain(TestTokens.NumberedSecretPart(4), l.Reason, StringComparison.Ordinal);
            Assert.DoesNotContain(TestTokens.NumberedSecretPart(3), l.Location!, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_broken_store_abandons_and_on_the_last_delivery_dead_letters_as_a_processing_error()
    {
        using var host = new IncidentTestHost(progress: new FakeIncidentProgressStore { Failure = new InvalidOperationException("storage unreachable") });
        host.Options.MaxDeliveryCount = 2;
        var body = Disable(Ids(1, 1));

        var first = await host.DeliverAsync(body, deliveryCount: 1);
        var last = await host.DeliverAsync(body, deliveryCount: 2);

        Assert.IsType<SettlementDecision.Abandon>(first);
        var deadLetter = Assert.IsType<SettlementDecision.DeadLetter>(last);
        Assert.Equal(DeadLetterReasons.ProcessingError, deadLetter.Reason);
        Assert.Contains("message-1", deadLetter.Description, StringComparison.Ordinal);
        Assert.Empty(host.Kill.Requests);
    }

    [Fact]
    public async Task Losing_the_lease_mid_work_stops_and_completes_without_touching_the_rest()
    {
        _host.Options.BatchSize = 1;
        var store = (InMemoryIncidentProgressStore)_host.Progress;
        var stolen = false;
        _host.Kill.Decide = (leak, _) =>
        {
            if (!stolen)
            {
                stolen = true;
                var current = store.GetAsync("INC-1", leak.CorrelationId == "INC-1" ? WorkIdOf(Disable(Ids(1, 5))) : "", CancellationToken.None).Result!;
                store.TrySaveAsync(current with { LeaseOwner = "thief" }, CancellationToken.None).Wait();
            }

            return TokenOutcomeKind.Disabled;
        };

        var decision = await _host.DeliverAsync(Disable(Ids(1, 5)));

        Assert.Contains("took over", Assert.IsType<SettlementDecision.Complete>(decision).Summary, StringComparison.Ordinal);
        Assert.Single(_host.Kill.Requests);
    }

    private string WorkIdOf(string body) =>
        IncidentMessageSerializer.WorkIdOf(new IncidentMessageParser(new StaticOptionsMonitor<IncidentsOptions>(_host.Options)).Parse(System.Text.Encoding.UTF8.GetBytes(body)).Message!);
}
