using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.KeyVault;
using TokenFunctions.Engine.Rotation;
using TokenFunctions.Engine.Rotation.Jobs;
using TokenFunctions.Engine.Tokens;
using TokenFunctions.Engine.UnitTests.Rotation.Support;

namespace TokenFunctions.Engine.UnitTests.Rotation;

public sealed class ReconciliationJobTests
{
    private const string RotationId = "0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task Tokens_named_by_a_rotation_whose_secret_is_in_no_Key_Vault_version_are_disabled_and_deleted()
    {
        var h = new RotationHarness();
        h.EnrollClassic("ci");
        var orphan = h.Dynatrace.Issue(RotationHarness.Environment, TokenKind.ClassicApiToken, $"ci [tf:tokenfunctions:{RotationId}]", ["metrics.ingest"]);
        var platformOrphan = h.Dynatrace.Issue(RotationHarness.Account, TokenKind.PlatformToken, $"automation [tf:tokenfunctions:{RotationId}]", ["a"]);
        var disabledOrphan = h.Dynatrace.Issue(RotationHarness.Environment, TokenKind.ClassicApiToken, $"gone-secret [tf:tokenfunctions:{RotationId}]", ["a"]);
        h.Dynatrace.Disable(disabledOrphan.Id);

        var report = await h.Reconciliation.RunAsync(CancellationToken.None);

        Assert.Equal(3, report.Orphans.Count(o => o.Action == OrphanAction.Killed));
        Assert.True(orphan.Deleted && platformOrphan.Deleted && disabledOrphan.Deleted);
        Assert.Contains(h.Audit.Records, r => r.Action == "orphan-disable" && r.TokenId == orphan.Id);
        InvariantChecker.AssertHolds(h, "ci");
    }

    [Fact]
    public async Task Other_deployments_tokens_and_tokens_without_a_rotation_id_are_left_alone()
    {
        var h = new RotationHarness();
        var otherInstance = h.Dynatrace.Issue(RotationHarness.Environment, TokenKind.ClassicApiToken, $"ci [tf:staging:{RotationId}]", ["a"]);
        var human = h.Dynatrace.Issue(RotationHarness.Environment, TokenKind.ClassicApiToken, "my laptop [tf:tokenfunctions:notanid]", ["a"]);

        var report = await h.Reconciliation.RunAsync(CancellationToken.None);

        Assert.Empty(report.Orphans);
        Assert.True(otherInstance.Enabled && human.Enabled);
    }

    [Fact]
    public async Task Current_tokens_retiring_tokens_and_tokens_of_a_rotation_in_flight_are_not_orphans()
    {
        var h = new RotationHarness();
        var old = h.EnrollClassic("ci", overlap: "2d");
        await h.RotateAsync("ci"); // current and retiring now both exist
        h.EnrollClassic("busy");
        h.Checkpoints.CrashAt = RotationCheckpoint.AfterCreate;
        await Assert.ThrowsAsync<SimulatedCrashException>(() => h.RotateAsync("busy"));
        h.Checkpoints.CrashAt = null;

        // The crashed rotation still holds its lease: its token must not be touched yet.
        var report = await h.Reconciliation.RunAsync(CancellationToken.None);

        Assert.Empty(report.Orphans);
        Assert.True(old.Enabled);
        Assert.True(h.CurrentToken("ci").Enabled);
        Assert.Single(h.Dynatrace.Tokens, t => t.Name.StartsWith("busy [tf:", StringComparison.Ordinal) && t.Enabled);
    }

    [Fact]
    public async Task Finishes_interrupted_rotations_once_their_lease_expired()
    {
        var h = new RotationHarness();
        h.EnrollClassic("ci");
        h.Checkpoints.CrashAt = RotationCheckpoint.AfterStoredSaved;
        await Assert.ThrowsAsync<SimulatedCrashException>(() => h.RotateAsync("ci"));
        h.Checkpoints.CrashAt = null;
        h.Time.Advance(h.Options.LeaseDuration);
        h.Restart();

        var report = await h.Reconciliation.RunAsync(CancellationToken.None);

        Assert.Equal(RotationOutcome.Rotated, Assert.Single(report.Resumed).Outcome);
        Assert.Equal("current", h.Vault.Latest("ci")!.Tags[ManagedCredentialTags.Stage]);
        InvariantChecker.AssertHolds(h, "ci");
    }

    [Fact]
    public async Task A_replaced_token_still_held_by_an_older_version_but_untracked_is_put_back_on_the_retirement_schedule()
    {
        var h = new RotationHarness();
        h.EnrollClassic("ci", overlap: "2d");
        await h.RotateAsync("ci");
        var replaced = h.CurrentToken("ci");
        await h.RotateAsync("ci"); // replaced is now the previous token, named with a rotation id

        // The state row loses its bookkeeping (table restored from an old backup, say).
        var lease = await h.Store.TryAcquireAsync("ci", "operator", h.Time.GetUtcNow() + TimeSpan.FromMinutes(1), CancellationToken.None);
        await h.Store.SaveAsync(lease! with { Retiring = [], LeaseHolder = null, LeaseUntil = null }, CancellationToken.None);

        var report = await h.Reconciliation.RunAsync(CancellationToken.None);

        var tracked = Assert.Single(report.Orphans);
        Assert.Equal(OrphanAction.Tracked, tracked.Action);
        Assert.Equal(replaced.Id, tracked.TokenId);
        Assert.True(replaced.Enabled);
        Assert.Contains((await h.Store.GetAsync("ci", CancellationToken.None))!.Retiring, r => r.TokenId == replaced.Id);
        h.Time.Advance(TimeSpan.FromDays(2));
        await h.Sweep.RunAsync(CancellationToken.None);
        Assert.False(replaced.Enabled);
    }

    [Fact]
    public async Task Adopts_an_enrolled_secret_by_filling_in_its_token_id_and_fingerprint()
    {
        var h = new RotationHarness();
        var token = h.EnrollClassic("new-one", adopted: false);

        var report = await h.Reconciliation.RunAsync(CancellationToken.None);

        var adoption = Assert.Single(report.Adoptions);
        Assert.Equal(AdoptionOutcome.Adopted, adoption.Outcome);
        Assert.Equal(token.Id, adoption.TokenId);
        var latest = h.Vault.Latest("new-one")!;
        Assert.Equal(token.Id.Value, latest.Tags[ManagedCredentialTags.TokenId]);
        Assert.Equal(TokenFingerprint.Of(token.Secret), latest.Tags[ManagedCredentialTags.Fingerprint]);
        Assert.Single(h.Vault.Versions("new-one")); // tags updated in place, no new version
        Assert.NotNull(await h.Catalog.FindByTokenIdAsync(token.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Refuses_to_adopt_a_value_that_contradicts_the_tags()
    {
        var h = new RotationHarness();
        var platform = h.Dynatrace.Issue(RotationHarness.Account, TokenKind.PlatformToken, "p", ["a"]);
        h.Vault.Seed("wrong-kind", platform.Secret, RotationHarness.Tags(platform, "classic", RotationHarness.Environment, "90d", "2d", adopted: false));
        h.Vault.Seed("not-a-token", "hunter2", RotationHarness.Tags(platform, "classic", RotationHarness.Environment, "90d", "2d", adopted: false));
        var elsewhere = h.Dynatrace.Issue("staging", TokenKind.ClassicApiToken, "x", ["a"]);
        h.Vault.Seed("wrong-env", elsewhere.Secret, RotationHarness.Tags(elsewhere, "classic", RotationHarness.Environment, "90d", "2d", adopted: false));

        var report = await h.Reconciliation.RunAsync(CancellationToken.None);

        Assert.All(report.Adoptions, a => Assert.Equal(AdoptionOutcome.Rejected, a.Outcome));
        Assert.Contains(report.Adoptions, a => a.SecretName == "wrong-kind" && a.Detail!.Contains("PlatformToken", StringComparison.Ordinal));
        Assert.Contains(report.Adoptions, a => a.SecretName == "not-a-token" && a.Detail!.Contains("not a Dynatrace token", StringComparison.Ordinal));
        Assert.Contains(report.Adoptions, a => a.SecretName == "wrong-env" && a.Detail!.Contains("does not know", StringComparison.Ordinal));
        Assert.False(h.Vault.Latest("wrong-kind")!.Tags.ContainsKey(ManagedCredentialTags.TokenId));
    }

    [Fact]
    public async Task A_Dynatrace_listing_failure_is_reported_and_other_targets_are_still_checked()
    {
        var h = new RotationHarness();
        var orphan = h.Dynatrace.Issue(RotationHarness.Account, TokenKind.PlatformToken, $"x [tf:tokenfunctions:{RotationId}]", ["a"]);
        var environmentCalls = 0;
        h.Dynatrace.Fault = (op, _) => op == "list" && environmentCalls++ == 0 ? DynatraceStatus.Transient : null;

        var report = await h.Reconciliation.RunAsync(CancellationToken.None);

        Assert.Contains(report.Errors, e => e.StartsWith(RotationHarness.Environment, StringComparison.Ordinal));
        Assert.True(orphan.Deleted);
    }
}
