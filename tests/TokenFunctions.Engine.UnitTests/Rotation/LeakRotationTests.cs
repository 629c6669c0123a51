using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Rotation;
using TokenFunctions.Engine.Rotation.Jobs;
using TokenFunctions.Engine.Tokens;
using TokenFunctions.Engine.UnitTests.Rotation.Support;

namespace TokenFunctions.Engine.UnitTests.Rotation;

public sealed class LeakRotationTests
{
    private const string Secret = "ci-ingest-token";

    [Fact]
    public async Task A_leaked_managed_credential_is_replaced_at_once_with_no_overlap()
    {
        var h = new RotationHarness();
        var old = h.EnrollClassic(Secret, overlap: "3d");
        h.Dynatrace.Disable(old.Id);

        var replacement = await h.Leak.ReplaceLeakedAsync(Outcome(old, TokenOutcomeKind.Disabled), "incident-7", CancellationToken.None);
        var secretId = replacement?.Location;

        Assert.Equal("team-observability", replacement?.Notify); // tf-notify of the enrolled secret
        var current = h.CurrentToken(Secret);
        Assert.NotEqual(old.Id, current.Id);
        Assert.Equal(h.Vault.Latest(Secret)!.Id.ToString(), secretId);
        var retiring = Assert.Single((await h.Store.GetAsync(Secret, CancellationToken.None))!.Retiring);
        Assert.NotNull(retiring.DisabledAt);
        Assert.Equal(h.Time.GetUtcNow() + TimeSpan.FromDays(7), retiring.DeleteAfter);
        Assert.Contains(h.Audit.Records, r => r.Source == LeakRotation.Source && r.Action == "rotate-finish" && r.Outcome == "Rotated" && r.CorrelationId.StartsWith("incident-7/", StringComparison.Ordinal));
        InvariantChecker.AssertHolds(h, Secret);
    }

    [Fact]
    public async Task A_token_that_is_not_managed_gives_null_and_creates_nothing()
    {
        var h = new RotationHarness();
        var stray = h.Dynatrace.Issue(RotationHarness.Environment, TokenKind.ClassicApiToken, "someone's token", ["metrics.read"]);

        Assert.Null(await h.Leak.ReplaceLeakedAsync(Outcome(stray, TokenOutcomeKind.Disabled), "incident-8", CancellationToken.None));
        Assert.Equal(0, h.Dynatrace.CreatedCount);
    }

    [Theory]
    [InlineData(TokenOutcomeKind.WouldDisable)]
    [InlineData(TokenOutcomeKind.Failed)]
    [InlineData(TokenOutcomeKind.Protected)]
    public async Task No_replacement_while_the_leaked_token_may_still_work_or_in_a_dry_run(TokenOutcomeKind outcome)
    {
        var h = new RotationHarness();
        var old = h.EnrollClassic(Secret);

        var replacement = await h.Leak.ReplaceLeakedAsync(Outcome(old, outcome), "incident-9", CancellationToken.None);

        Assert.NotNull(replacement);
        Assert.Null(replacement.Location);
        Assert.Equal("team-observability", replacement.Notify); // the team still hears that its credential leaked
        Assert.Equal(0, h.Dynatrace.CreatedCount);
        Assert.Contains(h.Audit.Records, r => r.Action == "leak-rotate" && r.Outcome == "Skipped");
    }

    [Fact]
    public async Task A_leak_matched_only_by_fingerprint_is_replaced()
    {
        var h = new RotationHarness();
        var old = h.EnrollClassic(Secret);
        h.Dynatrace.Disable(old.Id);
        var unrelatedId = TokenId.Parse("dt0c01.AAAAAAAAAAAAAAAAAAAAAAAA");

        var secretId = (await h.Leak.ReplaceLeakedAsync(
            new TokenOutcome { TokenId = unrelatedId, Fingerprint = TokenFingerprint.Of(old.Secret), Outcome = TokenOutcomeKind.AlreadyDisabled },
            "incident-10", CancellationToken.None))?.Location;

        Assert.NotNull(secretId);
        Assert.NotEqual(old.Id, h.CurrentToken(Secret).Id);
    }

    [Fact]
    public async Task A_replaced_token_leaking_during_its_overlap_ends_the_overlap_without_a_new_rotation()
    {
        var h = new RotationHarness();
        var old = h.EnrollClassic(Secret, overlap: "5d");
        await h.RotateAsync(Secret);
        var successor = h.CurrentToken(Secret);
        Assert.True(old.Enabled);

        h.Dynatrace.Disable(old.Id); // the kill-switch
        var secretId = (await h.Leak.ReplaceLeakedAsync(Outcome(old, TokenOutcomeKind.Disabled), "incident-11", CancellationToken.None))?.Location;

        Assert.Equal($"{KeyVault.Support.InMemoryKeyVault.VaultUri}secrets/{Secret}", secretId);
        Assert.Equal(successor.Id, h.CurrentToken(Secret).Id);
        Assert.Equal(1, h.Dynatrace.CreatedCount);
        var retiring = Assert.Single((await h.Store.GetAsync(Secret, CancellationToken.None))!.Retiring);
        Assert.NotNull(retiring.DisabledAt);
        Assert.Contains(h.Audit.Records, r => r.Action == "retire-expedite");
    }

    [Fact]
    public async Task A_failed_leak_rotation_is_retried_by_the_next_scheduled_run_because_the_current_token_is_disabled()
    {
        var h = new RotationHarness();
        var old = h.EnrollClassic(Secret);
        h.Dynatrace.Disable(old.Id);
        h.Dynatrace.Fault = (op, _) => op == "create" ? DynatraceStatus.BadRequest : null;

        var failed = await h.Leak.ReplaceLeakedAsync(Outcome(old, TokenOutcomeKind.Disabled), "incident-12", CancellationToken.None);
        Assert.Null(failed?.Location);
        Assert.Equal("team-observability", failed?.Notify);

        h.Dynatrace.Fault = null;
        var report = await h.Scheduled.RunAsync(CancellationToken.None);

        var item = Assert.Single(report.Items, i => i.SecretName == Secret);
        Assert.Equal(RotationDecision.CurrentUnusable, item.Decision);
        Assert.Equal(RotationOutcome.Rotated, item.Result!.Outcome);
        InvariantChecker.AssertHolds(h, Secret);
    }

    [Fact]
    public async Task A_Key_Vault_outage_postpones_the_replacement_instead_of_throwing()
    {
        var h = new RotationHarness();
        var old = h.EnrollClassic(Secret);
        h.Dynatrace.Disable(old.Id);
        h.Vault.OnList = () => KeyVault.Support.InMemoryKeyVault.Failure(503);

        var postponed = await h.Leak.ReplaceLeakedAsync(Outcome(old, TokenOutcomeKind.Disabled), "incident-13", CancellationToken.None);
        Assert.True(postponed!.IsPostponed);
        var record = Assert.Single(h.Audit.Records, r => r.Action == "leak-rotate");
        Assert.Equal(("Postponed", old.Id), (record.Outcome, record.TokenId));
        Assert.DoesNotContain(h.Audit.Records, r => r.Outcome == "Failed");

        // The outage is remembered for a while; once it has passed and the vault answers, the scheduled run rotates.
        h.Vault.OnList = null;
        h.Time.Advance(h.KeyVaultOptions.OutageCacheDuration);
        var report = await h.Scheduled.RunAsync(CancellationToken.None);
        Assert.Equal(RotationOutcome.Rotated, Assert.Single(report.Items, i => i.SecretName == Secret).Result!.Outcome);
    }

    private static TokenOutcome Outcome(FakeToken token, TokenOutcomeKind kind) => new() { TokenId = token.Id, Outcome = kind, Owner = token.Target };

    [Fact]
    public async Task An_unreachable_vault_that_the_SDK_reports_as_an_aggregate_of_attempts_is_postponed_not_failed()
    {
        var h = new RotationHarness();
        var old = h.EnrollClassic(Secret);
        h.Dynatrace.Disable(old.Id);
        h.Vault.OnList = () => new AggregateException("Retry failed after 4 tries.", new Azure.RequestFailedException(0, "connection refused", new HttpRequestException("refused")));

        var postponed = await h.Leak.ReplaceLeakedAsync(Outcome(old, TokenOutcomeKind.Disabled), "incident-14", CancellationToken.None);

        Assert.True(postponed!.IsPostponed);
        Assert.Equal("Postponed", Assert.Single(h.Audit.Records, r => r.Action == "leak-rotate").Outcome);
    }

    [Fact]
    public async Task A_leak_rotation_the_caller_says_was_not_disabled_yet_disables_the_old_token_itself()
    {
        var h = new RotationHarness();
        var old = h.EnrollClassic(Secret);

        var result = await h.Rotator.RotateAsync(
            new RotationRequest { SecretName = Secret, Trigger = RotationTrigger.Leak, CorrelationId = "incident-15", ExpectedTokenId = old.Id },
            CancellationToken.None);

        Assert.Equal(RotationOutcome.Rotated, result.Outcome);
        Assert.False(h.Dynatrace.Find(old.Id)!.Enabled);
        Assert.Contains(h.Audit.Records, r => r.Action == "retire-disable" && r.TokenId == old.Id && r.Outcome == "Disabled");
    }

    [Fact]
    public async Task A_leak_rotation_after_the_kill_switch_does_not_disable_the_old_token_again()
    {
        var h = new RotationHarness();
        var old = h.EnrollClassic(Secret);
        h.Dynatrace.Disable(old.Id);

        var result = await h.Rotator.RotateAsync(
            new RotationRequest { SecretName = Secret, Trigger = RotationTrigger.Leak, CorrelationId = "incident-16", ExpectedTokenId = old.Id, OldTokenAlreadyDisabled = true },
            CancellationToken.None);

        Assert.Equal(RotationOutcome.Rotated, result.Outcome);
        Assert.DoesNotContain(h.Audit.Records, r => r.Action == "retire-disable" && r.TokenId == old.Id);
        Assert.Contains(h.Audit.Records, r => r.Action == "rotate-finish" && r.Detail!.Contains("already disabled by the kill", StringComparison.Ordinal));
    }
}
