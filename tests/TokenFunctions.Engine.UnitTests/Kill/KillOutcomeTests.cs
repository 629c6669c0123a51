using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Dynatrace.Targets;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;
using TokenFunctions.Engine.Tokens;
using TokenFunctions.Engine.UnitTests.Tokens;

namespace TokenFunctions.Engine.UnitTests.Kill;

public sealed class KillOutcomeTests
{
    private static Leak LeakOf(TokenSecret secret, string source = "github-alert") => Leak.FromSecret(secret, source, "corr-1");

    [Fact]
    public async Task A_leaked_classic_token_is_disabled_in_the_environment_that_owns_it()
    {
        using var h = new KillHarness(environments: 2);
        var secret = TestTokens.RandomClassicSecret(1);
        var info = h.Environments[1].Add(secret);

        var result = await h.DisableAsync(LeakOf(secret));

        var outcome = Assert.Single(result.Outcomes);
        Assert.Equal(TokenOutcomeKind.Disabled, outcome.Outcome);
        Assert.Equal("env2", outcome.Owner);
        Assert.Equal(secret.Id, outcome.TokenId);
        Assert.Equal(secret.Fingerprint, outcome.Fingerprint);
        Assert.Equal(TokenFacts.From(info), outcome.Facts);
        Assert.True(outcome.IsSuccess);
        Assert.False(h.Environments[1].IsEnabled(secret.Id));
        Assert.Equal([(secret.Id, false)], h.Environments[1].Writes);
        Assert.Empty(h.Environments[0].Writes);
    }

    [Fact]
    public async Task An_already_disabled_token_is_a_success_without_a_write()
    {
        using var h = new KillHarness();
        var secret = TestTokens.RandomClassicSecret(2);
        h.Environments[0].Add(secret, enabled: false);

        var outcome = Assert.Single((await h.DisableAsync(LeakOf(secret))).Outcomes);

        Assert.Equal(TokenOutcomeKind.AlreadyDisabled, outcome.Outcome);
        Assert.True(outcome.IsSuccess);
        Assert.Equal("env1", outcome.Owner);
        Assert.Empty(h.Environments[0].Writes);
    }

    [Fact]
    public async Task A_secret_is_looked_up_by_secret_and_an_id_is_read_by_id()
    {
        using var h = new KillHarness();
        var withSecret = TestTokens.RandomClassicSecret(3);
        var idOnly = TestTokens.RandomClassicSecret(4);
        h.Environments[0].Add(withSecret);
        h.Environments[0].Add(idOnly.Id);

        var result = await h.DisableAsync(LeakOf(withSecret), Leak.FromId(idOnly.Id, "gitguardian", "corr-2"));

        Assert.All(result.Outcomes, o => Assert.Equal(TokenOutcomeKind.Disabled, o.Outcome));
        Assert.Equal(1, h.Environments[0].Lookups);
        Assert.Equal(1, h.Environments[0].Gets);
        Assert.Null(result.Outcomes[1].Fingerprint);
    }

    [Fact]
    public async Task A_cluster_without_lookup_falls_back_to_reading_by_id()
    {
        using var h = new KillHarness();
        var secret = TestTokens.RandomClassicSecret(5);
        h.Environments[0].Add(secret);
        h.Environments[0].LookupUnsupported = true;

        var outcome = Assert.Single((await h.DisableAsync(LeakOf(secret))).Outcomes);

        Assert.Equal(TokenOutcomeKind.Disabled, outcome.Outcome);
        Assert.Equal((1, 1), (h.Environments[0].Lookups, h.Environments[0].Gets));
    }

    [Fact]
    public async Task NotFound_only_when_every_environment_answered_404()
    {
        using var h = new KillHarness(environments: 3);
        var secret = TestTokens.RandomClassicSecret(6);

        var outcome = Assert.Single((await h.DisableAsync(LeakOf(secret))).Outcomes);

        Assert.Equal(TokenOutcomeKind.NotFound, outcome.Outcome);
        Assert.Null(outcome.Owner);
        Assert.True(outcome.NeedsHuman);
        Assert.Contains("env1", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("env3", outcome.Detail, StringComparison.Ordinal);
        Assert.All(h.Environments, e => Assert.Equal(1, e.Lookups));
    }

    [Fact]
    public async Task A_transient_failure_anywhere_without_a_find_is_Failed_and_retryable()
    {
        using var h = new KillHarness(environments: 3);
        h.Environments[1].FailReadsWith = DynatraceStatus.Transient;
        h.Environments[2].FailReadsWith = DynatraceStatus.Unauthorized;

        var outcome = Assert.Single((await h.DisableAsync(LeakOf(TestTokens.RandomClassicSecret(7)))).Outcomes);

        Assert.Equal(TokenOutcomeKind.Failed, outcome.Outcome);
        Assert.True(outcome.IsRetryable);
        Assert.Contains("env2", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("retry", outcome.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_refused_credential_without_a_find_is_Denied()
    {
        using var h = new KillHarness(environments: 3);
        h.Environments[0].FailReadsWith = DynatraceStatus.Forbidden;

        var outcome = Assert.Single((await h.DisableAsync(LeakOf(TestTokens.RandomClassicSecret(8)))).Outcomes);

        Assert.Equal(TokenOutcomeKind.Denied, outcome.Outcome);
        Assert.True(outcome.NeedsHuman);
        Assert.Contains("env1", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_owner_is_found_even_when_other_environments_fail()
    {
        using var h = new KillHarness(environments: 3);
        var secret = TestTokens.RandomClassicSecret(9);
        h.Environments[0].FailReadsWith = DynatraceStatus.Transient;
        h.Environments[1].FailReadsWith = DynatraceStatus.Unauthorized;
        h.Environments[2].Add(secret);

        var outcome = Assert.Single((await h.DisableAsync(LeakOf(secret))).Outcomes);

        Assert.Equal(TokenOutcomeKind.Disabled, outcome.Outcome);
        Assert.Equal("env3", outcome.Owner);
    }

    [Theory]
    [InlineData(DynatraceStatus.Unauthorized, TokenOutcomeKind.Denied)]
    [InlineData(DynatraceStatus.Forbidden, TokenOutcomeKind.Denied)]
    [InlineData(DynatraceStatus.Transient, TokenOutcomeKind.Failed)]
    [InlineData(DynatraceStatus.BadRequest, TokenOutcomeKind.Failed)]
    [InlineData(DynatraceStatus.NotFound, TokenOutcomeKind.NotFound)]
    [InlineData(DynatraceStatus.OwnCredential, TokenOutcomeKind.CannotDisableOwnCredential)]
    public async Task A_failed_write_maps_to_its_outcome(DynatraceStatus status, TokenOutcomeKind expected)
    {
        using var h = new KillHarness();
        var secret = TestTokens.RandomClassicSecret(10);
        h.Environments[0].Add(secret);
        h.Environments[0].FailWritesWith = status;

        var outcome = Assert.Single((await h.DisableAsync(LeakOf(secret))).Outcomes);

        Assert.Equal(expected, outcome.Outcome);
        Assert.Equal("env1", outcome.Owner);
        Assert.NotNull(outcome.Facts);
        Assert.True(h.Environments[0].IsEnabled(secret.Id));
    }

    [Fact]
    public async Task Dynatrace_refusing_to_disable_its_callers_own_token_is_CannotDisableOwnCredential()
    {
        using var h = new KillHarness();
        var secret = TestTokens.RandomClassicSecret(11);
        h.Environments[0].Add(secret);
        h.Environments[0].OwnCredentialIds.Add(secret.Id.Value);

        var outcome = Assert.Single((await h.DisableAsync(LeakOf(secret))).Outcomes);

        Assert.Equal(TokenOutcomeKind.CannotDisableOwnCredential, outcome.Outcome);
        Assert.Contains("secondary", outcome.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dt0s02", 8)]
    [InlineData("dt0s03", 8)]
    [InlineData("dt0s08", 8)]
    [InlineData("dt0g02", 8)]
    [InlineData("dt0s01", 24)]
    [InlineData("dt0x42", 24)]
    public async Task Kinds_without_a_kill_path_are_Unsupported_with_guidance_and_no_calls(string prefix, int publicLength)
    {
        using var h = new KillHarness(environments: 2, accounts: 1);
        var secret = TokenSecret.Parse(TestTokens.Text(prefix, 12, publicLength));

        var outcome = Assert.Single((await h.DisableAsync(LeakOf(secret))).Outcomes);

        Assert.Equal(TokenOutcomeKind.Unsupported, outcome.Outcome);
        Assert.True(outcome.NeedsHuman);
        Assert.Contains(secret.Id.Value, outcome.Detail, StringComparison.Ordinal);
        Assert.Contains(prefix.StartsWith("dt0s0", StringComparison.Ordinal) && prefix != "dt0s01" ? "OAuth client" : " ", outcome.Detail, StringComparison.Ordinal);
        Assert.All(h.Environments, e => Assert.Equal(0, e.Reads));
        Assert.Equal(0, h.Accounts[0].Finds);
    }

    [Fact]
    public async Task A_platform_token_is_set_inactive_in_the_account_that_owns_it()
    {
        using var h = new KillHarness(environments: 1, accounts: 3);
        var secret = TokenSecret.Parse(TestTokens.RandomPlatform(13));
        h.Accounts[2].Add(secret.Id);

        var outcome = Assert.Single((await h.DisableAsync(LeakOf(secret))).Outcomes);

        Assert.Equal(TokenOutcomeKind.Disabled, outcome.Outcome);
        Assert.Equal("account3", outcome.Owner);
        Assert.Equal("INACTIVE", h.Accounts[2].StatusOf(secret.Id));

        // The write is the lookup: one PUT per account (404 where it does not live), nothing read first.
        Assert.Equal([(secret.Id, false)], h.Accounts[2].Writes);
        Assert.All(h.Accounts, a => Assert.True(a.Writes.Count <= 1));
        Assert.All(h.Accounts, a => Assert.Equal(0, a.Finds));
        Assert.Null(outcome.Facts);
        Assert.Equal(0, h.Environments[0].Reads);
    }

    [Fact]
    public async Task A_platform_token_is_written_INACTIVE_whatever_its_status_as_the_write_is_the_lookup()
    {
        using var h = new KillHarness(accounts: 1);
        var inactive = TokenSecret.Parse(TestTokens.RandomPlatform(14));
        var unknown = TokenSecret.Parse(TestTokens.RandomPlatform(15));
        h.Accounts[0].Add(inactive.Id, "INACTIVE");
        h.Accounts[0].Add(unknown.Id, status: null);

        var result = await h.DisableAsync(LeakOf(inactive), LeakOf(unknown));

        Assert.Equal([TokenOutcomeKind.Disabled, TokenOutcomeKind.Disabled], result.Outcomes.Select(o => o.Outcome));
        Assert.All(result.Outcomes, o => Assert.Contains("does not say whether it already was", o.Detail, StringComparison.Ordinal));
        Assert.Equal([inactive.Id.Value, unknown.Id.Value], h.Accounts[0].Writes.Select(w => w.Id.Value).Order(StringComparer.Ordinal));
        Assert.Equal(0, h.Accounts[0].Finds);
    }

    [Fact]
    public async Task An_inactive_platform_token_in_a_dry_run_is_AlreadyDisabled_from_the_listing()
    {
        using var h = new KillHarness(accounts: 1);
        h.Settings["DryRun"] = "true";
        var inactive = TokenSecret.Parse(TestTokens.RandomPlatform(14));
        h.Accounts[0].Add(inactive.Id, "INACTIVE");

        var outcome = Assert.Single((await h.DisableAsync(LeakOf(inactive))).Outcomes);

        Assert.Equal(TokenOutcomeKind.AlreadyDisabled, outcome.Outcome);
        Assert.Empty(h.Accounts[0].Writes);
        Assert.Equal(1, h.Accounts[0].Finds);
    }

    [Fact]
    public async Task A_platform_token_with_no_account_configured_is_NotFound_with_a_reason()
    {
        using var h = new KillHarness();
        var outcome = Assert.Single((await h.DisableAsync(LeakOf(TokenSecret.Parse(TestTokens.RandomPlatform(16))))).Outcomes);
        Assert.Equal(TokenOutcomeKind.NotFound, outcome.Outcome);
        Assert.Contains("No Dynatrace account", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_platform_write_refused_is_Denied_and_a_failing_account_is_Failed()
    {
        using var h = new KillHarness(accounts: 2);
        var owned = TokenSecret.Parse(TestTokens.RandomPlatform(17));
        var nowhere = TokenSecret.Parse(TestTokens.RandomPlatform(18));
        h.Accounts[0].Add(owned.Id);
        h.Accounts[0].FailWritesWith = DynatraceStatus.Forbidden;

        var denied = Assert.Single((await h.DisableAsync(LeakOf(owned))).Outcomes);
        Assert.Equal(TokenOutcomeKind.Denied, denied.Outcome);
        Assert.Contains("account1", denied.Detail, StringComparison.Ordinal);

        h.Accounts[0].FailWritesWith = null;
        h.Accounts[1].FailWritesWith = DynatraceStatus.Transient;
        var failed = Assert.Single((await h.DisableAsync(LeakOf(nowhere))).Outcomes);
        Assert.Equal(TokenOutcomeKind.Failed, failed.Outcome);
        Assert.Contains("Not found (404) in: account1", failed.Detail, StringComparison.Ordinal);
        Assert.Contains("account2", failed.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_throws_yields_Failed_for_that_token_only()
    {
        using var h = new KillHarness(environments: 2);
        var broken = TestTokens.RandomClassicSecret(19);
        h.Environments[0].ThrowOnRead = new HttpRequestException("connection reset");
        h.Environments[1].Add(broken);

        var outcome = Assert.Single((await h.DisableAsync(LeakOf(broken))).Outcomes);
        Assert.Equal(TokenOutcomeKind.Disabled, outcome.Outcome);

        h.Environments[1].Remove(broken.Id);
        var second = Assert.Single((await h.DisableAsync(LeakOf(TestTokens.RandomClassicSecret(20)))).Outcomes);
        Assert.Equal(TokenOutcomeKind.Failed, second.Outcome);
        Assert.Contains("connection reset", second.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_leak_whose_secret_belongs_to_another_id_never_sends_that_secret()
    {
        using var h = new KillHarness();
        var id = TestTokens.RandomClassicSecret(21).Id;
        var other = TestTokens.RandomClassicSecret(22);
        h.Environments[0].Add(id);

        var leak = new Leak { TokenId = id, Secret = other, Source = "generic", CorrelationId = "c" };
        var outcome = Assert.Single((await h.DisableAsync(leak)).Outcomes);

        Assert.Equal(TokenOutcomeKind.Disabled, outcome.Outcome);
        Assert.Equal((0, 1), (h.Environments[0].Lookups, h.Environments[0].Gets));
        Assert.Null(outcome.Fingerprint);
    }

    [Fact]
    public async Task An_empty_request_does_nothing()
    {
        using var h = new KillHarness();
        var result = await h.DisableAsync();
        Assert.Empty(result.Outcomes);
        Assert.Equal(0, h.Audit.Writes);
    }
}
