using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Incidents.Testing;
using TokenFunctions.Engine.Kill;

namespace TokenFunctions.Engine.Incidents;

public sealed class IncidentProcessorKillSwitchTests : IDisposable
{
    private static readonly Guid Alice = Guid.Parse("3fa85f64-5717-4562-b3fc-2c963f66afa6");
    private static readonly Guid Bob = Guid.Parse("9b2c1e55-0000-4000-8000-000000000002");
    private readonly IncidentTestHost _host = new();

    public void Dispose() => _host.Dispose();

    private static string KillSwitch(string selector, string incidentId = "INC-KS", bool dryRun = false) =>
        $$"""{ "version": 1, "type": "kill-switch", "incidentId": "{{incidentId}}", "requestedBy": "soc@example.com", "reason": "account compromised", "dryRun": {{(dryRun ? "true" : "false")}}, "selector": {{selector}} }""";

    private FakeEnvironmentClient Environment(string name, int from, int count, string owner = "alice@example.com", params string[] scopes) =>
        new(name, FakeEnvironmentClient.Tokens(from, count, owner, scopes), _host.Time);

    [Fact]
    public async Task A_ten_thousand_token_selector_finishes_across_deliveries_and_disables_each_token_once()
    {
        var prod = Environment("prod", 0, 6000);
        var staging = Environment("staging", 6000, 4000);
        _host.Directory = new FakeDirectory([prod, staging]);
        _host.Options.PageSize = 1000;
        _host.Options.BatchSize = 250;
        _host.Options.WorkBudgetPerDelivery = TimeSpan.FromMinutes(2);
        _host.Options.MaxDeliveryCount = 10;
        _host.Kill.CostPerToken = TimeSpan.FromMilliseconds(50);

        var decisions = await _host.DeliverUntilSettledAsync(KillSwitch("""{ "owner": "alice@example.com" }"""));

        Assert.IsType<SettlementDecision.Complete>(decisions[^1]);
        Assert.InRange(decisions.Count, 4, 9);
        Assert.All(decisions.SkipLast(1), d => Assert.IsType<SettlementDecision.Abandon>(d));
        Assert.Equal(10_000, _host.Kill.Disabled.Count);
        Assert.All(_host.Kill.Disabled.Values, count => Assert.Equal(1, count));
        Assert.Equal(10_000, _host.Kill.Leaks.Count);
        Assert.All(_host.Kill.Leaks, l => Assert.Equal(l.TokenId.Value.CompareTo(TestTokens.ClassicId(6000)) < 0 ? "prod" : "staging", l.OwnerHint));
        var first = prod.Queries[0];
        Assert.Equal("owner(\"alice@example.com\")", first.ApiTokenSelector);
        Assert.Equal(1000, first.PageSize);
        Assert.All(prod.Queries.Skip(1), q => Assert.NotNull(q.NextPageKey));
    }

    [Fact]
    public async Task Owner_and_scope_are_sent_as_dynatrace_selectors_and_only_matching_tokens_are_disabled()
    {
        var prod = new FakeEnvironmentClient(
            "prod",
            FakeEnvironmentClient.Tokens(0, 3, "alice@example.com", "DataExport")
                .Concat(FakeEnvironmentClient.Tokens(3, 3, "alice@example.com", "apiTokens.write"))
                .Concat(FakeEnvironmentClient.Tokens(6, 3, "bob@example.com", "apiTokens.write")),
            _host.Time);
        _host.Directory = new FakeDirectory([prod]);

        var decision = await _host.DeliverAsync(KillSwitch("""{ "owner": "alice@example.com", "scope": "apiTokens.write" }"""));

        Assert.IsType<SettlementDecision.Complete>(decision);
        Assert.Equal("owner(\"alice@example.com\"),scope(\"apiTokens.write\")", prod.Queries[0].ApiTokenSelector);
        Assert.Equal(Enumerable.Range(3, 3).Select(TestTokens.ClassicId), _host.Kill.Leaks.Select(l => l.TokenId.Value));
    }

    [Fact]
    public async Task A_named_environment_limits_the_selector_to_it()
    {
        var prod = Environment("prod", 0, 5);
        var staging = Environment("staging", 5, 5);
        _host.Directory = new FakeDirectory([prod, staging]);

        Assert.IsType<SettlementDecision.Complete>(await _host.DeliverAsync(KillSwitch("""{ "environment": "STAGING", "allTokens": true }""")));

        Assert.Empty(prod.Queries);
        Assert.Null(staging.Queries[0].ApiTokenSelector);
        Assert.Equal(5, _host.Kill.Disabled.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task Platform_tokens_of_a_user_are_found_by_listing_the_account_and_filtering_on_the_user(int pageBase)
    {
        var account = new FakeAccountClient(
            "main",
            FakeAccountClient.Tokens(0, 150, Bob).Concat(FakeAccountClient.Tokens(150, 7, Alice)).Concat(FakeAccountClient.Tokens(157, 60, Bob)),
            _host.Time)
        { PageBase = pageBase };
        _host.Directory = new FakeDirectory([Environment("prod", 0, 5)], [account]);

        var decision = await _host.DeliverAsync(KillSwitch($$"""{ "platformUserUuid": "{{Alice}}" }"""));

        Assert.IsType<SettlementDecision.Complete>(decision);
        Assert.Equal(Enumerable.Range(150, 7).Select(TestTokens.PlatformId), _host.Kill.Leaks.Select(l => l.TokenId.Value));
        Assert.All(_host.Kill.Leaks, l => Assert.Equal("main", l.OwnerHint));
        // The first page without a number (the server's default), then the answer's pageNumber + 1.
        Assert.Equal([null, pageBase + 1, pageBase + 2], account.Queries.Select(q => q.Page));
        Assert.All(account.Queries, q => Assert.Null(q.SearchTerm));
    }

    [Fact]
    public async Task Owner_and_platform_user_in_one_selector_cover_both_token_families()
    {
        var account = new FakeAccountClient("main", FakeAccountClient.Tokens(0, 2, Alice), _host.Time);
        _host.Directory = new FakeDirectory([Environment("prod", 0, 3)], [account]);

        await _host.DeliverAsync(KillSwitch($$"""{ "owner": "alice@example.com", "platformUserUuid": "{{Alice}}", "account": "main" }"""));

        Assert.Equal(5, _host.Kill.Disabled.Count);
    }

    [Theory]
    [InlineData("""{ "owner": "a", "environment": "qa" }""", "selector.environment \"qa\" is not a configured environment (configured: prod)")]
    [InlineData("""{ "platformUserUuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6" }""", "No Dynatrace account is configured")]
    public async Task A_selector_naming_an_unknown_target_is_dead_lettered_without_any_call(string selector, string fragment)
    {
        var prod = Environment("prod", 0, 3);
        _host.Directory = new FakeDirectory([prod]);

        var decision = await _host.DeliverAsync(KillSwitch(selector));

        var deadLetter = Assert.IsType<SettlementDecision.DeadLetter>(decision);
        Assert.Equal(DeadLetterReasons.UnknownTarget, deadLetter.Reason);
        Assert.Contains(fragment, deadLetter.Description, StringComparison.Ordinal);
        Assert.Empty(_host.Kill.Requests);
    }

    [Fact]
    public async Task A_listing_outage_in_one_environment_does_not_hold_up_the_others_and_the_redelivery_finishes_it()
    {
        var prod = Environment("prod", 0, 300);
        var staging = Environment("staging", 300, 300);
        prod.Intercept = (_, call) => call == 1 ? DynatraceResult<ApiTokenPage>.Fail(DynatraceStatus.Transient, new DynatraceError(503, "unavailable")) : null;
        _host.Directory = new FakeDirectory([prod, staging]);
        _host.Options.PageSize = 100;

        var first = await _host.DeliverAsync(KillSwitch("""{ "owner": "alice@example.com" }"""), deliveryCount: 1);
        Assert.Equal(300, _host.Kill.Disabled.Count);
        var second = await _host.DeliverAsync(KillSwitch("""{ "owner": "alice@example.com" }"""), deliveryCount: 2);

        Assert.IsType<SettlementDecision.Abandon>(first);
        Assert.IsType<SettlementDecision.Complete>(second);
        Assert.Equal(600, _host.Kill.Disabled.Count);
        Assert.All(_host.Kill.Disabled.Values, count => Assert.Equal(1, count));
        Assert.Equal(3, staging.Queries.Count);
    }

    [Fact]
    public async Task Sporadic_failures_do_not_hold_the_listing_back_and_are_retried_first_on_the_redelivery()
    {
        var prod = Environment("prod", 0, 250);
        _host.Directory = new FakeDirectory([prod]);
        _host.Options.PageSize = 100;
        _host.Kill.Decide = (leak, attempt) => leak.TokenId.Value is var v && (v == TestTokens.ClassicId(20) || v == TestTokens.ClassicId(120)) && attempt == 1
            ? TokenOutcomeKind.Failed
            : TokenOutcomeKind.Disabled;

        var decisions = await _host.DeliverUntilSettledAsync(KillSwitch("""{ "owner": "alice@example.com" }"""));

        Assert.Equal(2, decisions.Count);
        var abandon = Assert.IsType<SettlementDecision.Abandon>(decisions[0]);
        Assert.Equal(2, abandon.PropertiesToModify["tf-failing"]);
        Assert.Equal(248L, abandon.PropertiesToModify["tf-succeeded"]);
        Assert.IsType<SettlementDecision.Complete>(decisions[1]);
        Assert.Equal([TestTokens.ClassicId(20), TestTokens.ClassicId(120)], _host.Kill.Requests[^1].Leaks.Select(l => l.TokenId.Value));
        Assert.Equal(3, prod.Queries.Count);
        Assert.Equal(250, _host.Kill.Disabled.Count);
        Assert.All(_host.Kill.Disabled.Values, count => Assert.Equal(1, count));
    }

    [Fact]
    public async Task A_batch_that_fails_entirely_pauses_that_environment_for_the_delivery_and_the_next_environment_goes_on()
    {
        var prod = Environment("prod", 0, 300);
        var staging = Environment("staging", 300, 100);
        _host.Directory = new FakeDirectory([prod, staging]);
        _host.Options.PageSize = 300;
        _host.Options.BatchSize = 100;
        var prodDown = true;
        _host.Kill.Decide = (leak, _) => leak.OwnerHint == "prod" && prodDown ? TokenOutcomeKind.Failed : TokenOutcomeKind.Disabled;

        var first = await _host.DeliverAsync(KillSwitch("""{ "owner": "alice@example.com" }"""), deliveryCount: 1);
        prodDown = false;

        Assert.IsType<SettlementDecision.Abandon>(first);
        Assert.Equal(2, _host.Kill.Requests.Count);
        Assert.All(_host.Kill.Requests[0].Leaks, l => Assert.Equal("prod", l.OwnerHint));
        Assert.All(_host.Kill.Requests[1].Leaks, l => Assert.Equal("staging", l.OwnerHint));

        Assert.IsType<SettlementDecision.Complete>(await _host.DeliverAsync(KillSwitch("""{ "owner": "alice@example.com" }"""), deliveryCount: 2));
        Assert.Equal(400, _host.Kill.Disabled.Count);
        Assert.All(_host.Kill.Disabled.Values, count => Assert.Equal(1, count));
    }

    [Fact]
    public async Task On_the_last_delivery_tokens_still_waiting_for_a_retry_are_listed_by_id()
    {
        _host.Directory = new FakeDirectory([Environment("prod", 0, 150)]);
        _host.Options.PageSize = 100;
        _host.Options.MaxDeliveryCount = 2;
        _host.Kill.Decide = (leak, _) => leak.TokenId.Value == TestTokens.ClassicId(42) ? TokenOutcomeKind.Failed : TokenOutcomeKind.Disabled;

        var decisions = await _host.DeliverUntilSettledAsync(KillSwitch("""{ "owner": "alice@example.com" }"""));

        var deadLetter = Assert.IsType<SettlementDecision.DeadLetter>(decisions[^1]);
        Assert.Equal(DeadLetterReasons.RetriesExhausted, deadLetter.Reason);
        Assert.Contains($"1 token(s) still failing transiently: {TestTokens.ClassicId(42)}.", deadLetter.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("Not finished", deadLetter.Description, StringComparison.Ordinal);
        Assert.Equal(2, _host.Kill.Attempts(TestTokens.Id(TestTokens.ClassicId(42))));
    }

    [Fact]
    public async Task On_the_last_delivery_an_unfinished_selector_is_dead_lettered_naming_what_remains()
    {
        var prod = Environment("prod", 0, 500);
        _host.Directory = new FakeDirectory([prod]);
        _host.Options.PageSize = 100;
        _host.Options.BatchSize = 50;
        _host.Options.MaxDeliveryCount = 2;
        _host.Options.WorkBudgetPerDelivery = TimeSpan.FromSeconds(5);

        var decisions = await _host.DeliverUntilSettledAsync(KillSwitch("""{ "owner": "alice@example.com" }"""));

        var deadLetter = Assert.IsType<SettlementDecision.DeadLetter>(decisions[^1]);
        Assert.Equal(DeadLetterReasons.RetriesExhausted, deadLetter.Reason);
        Assert.Contains("environment:prod at page", deadLetter.Description, StringComparison.Ordinal);
        Assert.Contains("work budget per delivery ran out", deadLetter.Description, StringComparison.Ordinal);

        // Resubmitting continues: listing restarts and skips every token the incident already disabled.
        _host.Options.MaxDeliveryCount = 10;
        var resubmitted = await _host.DeliverUntilSettledAsync(KillSwitch("""{ "owner": "alice@example.com" }"""), "resubmitted");
        Assert.IsType<SettlementDecision.Complete>(resubmitted[^1]);
        Assert.Equal(500, _host.Kill.Disabled.Count);
        Assert.All(_host.Kill.Disabled.Values, count => Assert.Equal(1, count));
    }

    [Fact]
    public async Task An_expired_page_key_restarts_the_listing_and_the_ledger_skips_what_was_done()
    {
        var prod = Environment("prod", 0, 300);
        _host.Directory = new FakeDirectory([prod]);
        _host.Options.PageSize = 100;
        _host.Options.BatchSize = 100;
        _host.Options.WorkBudgetPerDelivery = TimeSpan.FromSeconds(1);
        _host.Kill.CostPerToken = TimeSpan.FromMilliseconds(20);

        var first = await _host.DeliverAsync(KillSwitch("""{ "owner": "alice@example.com" }"""), deliveryCount: 1);
        prod.ExpireNextPageKey = true;
        var rest = await _host.DeliverUntilSettledAsync(KillSwitch("""{ "owner": "alice@example.com" }"""));

        Assert.IsType<SettlementDecision.Abandon>(first);
        Assert.IsType<SettlementDecision.Complete>(rest[^1]);
        Assert.Equal(300, _host.Kill.Disabled.Count);
        Assert.All(_host.Kill.Disabled.Values, count => Assert.Equal(1, count));
        Assert.Contains("restarts from the first page", _host.Logger.AllText, StringComparison.Ordinal);
        Assert.Equal(2, prod.Queries.Count(q => q.ApiTokenSelector is not null));
    }

    [Fact]
    public async Task A_refused_listing_credential_is_dead_lettered_for_a_human_after_the_other_sources_finish()
    {
        var prod = Environment("prod", 0, 10);
        prod.Intercept = (_, _) => DynatraceResult<ApiTokenPage>.Fail(DynatraceStatus.Forbidden, new DynatraceError(403, "Token is missing required scope apiTokens.read"));
        var staging = Environment("staging", 10, 10);
        _host.Directory = new FakeDirectory([prod, staging]);

        var decision = await _host.DeliverAsync(KillSwitch("""{ "owner": "alice@example.com" }"""));

        var deadLetter = Assert.IsType<SettlementDecision.DeadLetter>(decision);
        Assert.Equal(DeadLetterReasons.NeedsHuman, deadLetter.Reason);
        Assert.Contains("environment:prod: cannot list tokens (Forbidden: HTTP 403: Token is missing required scope apiTokens.read)", deadLetter.Description, StringComparison.Ordinal);
        Assert.Equal(10, _host.Kill.Disabled.Count);
    }

    [Fact]
    public async Task A_refused_token_on_a_page_that_is_read_again_is_listed_once_for_the_human()
    {
        _host.Directory = new FakeDirectory([Environment("prod", 0, 150)]);
        _host.Options.PageSize = 100;
        _host.Kill.Decide = (leak, attempt) => leak.TokenId.Value switch
        {
            var v when v == TestTokens.ClassicId(5) => TokenOutcomeKind.Denied,
            var v when v == TestTokens.ClassicId(6) && attempt == 1 => TokenOutcomeKind.Failed,
            _ => TokenOutcomeKind.Disabled,
        };

        var decisions = await _host.DeliverUntilSettledAsync(KillSwitch("""{ "owner": "alice@example.com" }"""));

        var deadLetter = Assert.IsType<SettlementDecision.DeadLetter>(decisions[^1]);
        Assert.Equal(2, decisions.Count);
        Assert.Equal(DeadLetterReasons.NeedsHuman, deadLetter.Reason);
        Assert.Contains($"1 item(s) need a human: {TestTokens.ClassicId(5)} Denied in prod.", deadLetter.Description, StringComparison.Ordinal);
        Assert.Equal(149, _host.Kill.Disabled.Count);
    }

    [Fact]
    public async Task A_dry_run_selector_reaches_the_kill_switch_as_a_dry_run()
    {
        _host.Directory = new FakeDirectory([Environment("prod", 0, 3)]);

        Assert.IsType<SettlementDecision.Complete>(await _host.DeliverAsync(KillSwitch("""{ "owner": "alice@example.com" }""", dryRun: true)));

        Assert.All(_host.Kill.Requests, r => Assert.True(r.DryRun));
        Assert.All(_host.Kill.Leaks, l => Assert.Equal("account compromised", l.Reason));
    }

    [Fact]
    public async Task A_selector_matching_nothing_completes_and_says_so_in_the_log()
    {
        _host.Directory = new FakeDirectory([Environment("prod", 0, 3)]);

        Assert.IsType<SettlementDecision.Complete>(await _host.DeliverAsync(KillSwitch("""{ "owner": "Alice@example.com" }""")));

        Assert.Empty(_host.Kill.Requests);
        Assert.Contains("matched no token", _host.Logger.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_duplicate_kill_switch_after_completion_lists_nothing_and_disables_nothing()
    {
        var prod = Environment("prod", 0, 3);
        _host.Directory = new FakeDirectory([prod]);
        await _host.DeliverAsync(KillSwitch("""{ "owner": "alice@example.com" }"""), "first");

        var decision = await _host.DeliverAsync(KillSwitch("""{ "owner": "alice@example.com" }"""), "second");

        Assert.IsType<SettlementDecision.Complete>(decision);
        Assert.Single(prod.Queries);
        Assert.Single(_host.Kill.Requests);
    }
}
