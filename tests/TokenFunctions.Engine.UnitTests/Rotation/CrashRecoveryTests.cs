using TokenFunctions.Engine.Rotation;
using TokenFunctions.Engine.UnitTests.Rotation.Support;

namespace TokenFunctions.Engine.UnitTests.Rotation;

/// <summary>
/// The process dies after each step of the protocol; the next timer run (a fresh process) must converge with no lost
/// secret, no orphan usable token, and at most one usable token per credential outside its overlap window.
/// </summary>
public sealed class CrashRecoveryTests
{
    private const string Secret = "ci-ingest-token";

    public static TheoryData<RotationCheckpoint, string> RotationCrashes()
    {
        var data = new TheoryData<RotationCheckpoint, string>();
        foreach (var kind in new[] { "classic", "platform" })
        {
            foreach (var checkpoint in new[]
            {
                RotationCheckpoint.AfterWriteAhead, RotationCheckpoint.AfterCreate, RotationCheckpoint.AfterKeyVaultWrite,
                RotationCheckpoint.AfterStoredSaved, RotationCheckpoint.AfterVerify, RotationCheckpoint.AfterVerifiedSaved,
                RotationCheckpoint.AfterPromote,
            })
            {
                data.Add(checkpoint, kind);
            }
        }

        return data;
    }

    public static TheoryData<RotationTrigger> Triggers() => new(RotationTrigger.Scheduled, RotationTrigger.Leak);

    [Theory]
    [MemberData(nameof(RotationCrashes))]
    public Task A_scheduled_rotation_interrupted_after_any_step_converges(RotationCheckpoint checkpoint, string kind) =>
        CrashAndConvergeAsync(new RotationHarness(), checkpoint, kind, RotationTrigger.Scheduled);

    [Theory]
    [MemberData(nameof(RotationCrashes))]
    public Task A_leak_rotation_interrupted_after_any_step_converges(RotationCheckpoint checkpoint, string kind) =>
        CrashAndConvergeAsync(new RotationHarness(), checkpoint, kind, RotationTrigger.Leak);

    [Theory]
    [InlineData(RotationCheckpoint.AfterDisable)]
    [InlineData(RotationCheckpoint.AfterDelete)]
    public async Task A_sweep_interrupted_after_disabling_or_deleting_converges(RotationCheckpoint checkpoint)
    {
        var h = new RotationHarness();
        var old = h.EnrollClassic(Secret, overlap: "2d");
        await h.RotateAsync(Secret);
        h.Time.Advance(TimeSpan.FromDays(2));
        if (checkpoint == RotationCheckpoint.AfterDelete)
        {
            await h.Sweep.RunAsync(CancellationToken.None);
            h.Time.Advance(TimeSpan.FromDays(7));
        }

        h.Checkpoints.CrashAt = checkpoint;
        await Assert.ThrowsAsync<SimulatedCrashException>(() => h.Sweep.RunAsync(CancellationToken.None));

        await RestartAndRunTimersAsync(h);
        InvariantChecker.AssertHolds(h, Secret);
        Assert.False(old.Enabled);
        h.Time.Advance(TimeSpan.FromDays(8));
        await h.RunTimersAsync();
        Assert.True(old.Deleted);
        Assert.Empty((await h.Store.GetAsync(Secret, CancellationToken.None))!.Retiring);
    }

    [Theory]
    [InlineData(RotationCheckpoint.AfterDisable)]
    [InlineData(RotationCheckpoint.AfterDelete)]
    public async Task Compensation_interrupted_after_disabling_or_deleting_the_unstorable_token_converges(RotationCheckpoint checkpoint)
    {
        var h = new RotationHarness();
        var old = h.EnrollClassic(Secret);
        h.Vault.OnSet = s => s.Name == Secret ? KeyVault.Support.InMemoryKeyVault.Failure(403, "Forbidden") : null;
        h.Checkpoints.CrashAt = checkpoint;

        await Assert.ThrowsAsync<SimulatedCrashException>(() => h.RotateAsync(Secret));

        await RestartAndRunTimersAsync(h);
        InvariantChecker.AssertHolds(h, Secret);
        Assert.Equal(old.Id, h.CurrentToken(Secret).Id);
        Assert.All(h.Dynatrace.Tokens.Where(t => t.Name.Contains("[tf:", StringComparison.Ordinal)), t => Assert.True(t.Deleted));
    }

    [Fact]
    public async Task A_rollback_interrupted_after_restoring_the_old_value_converges()
    {
        var h = new RotationHarness();
        var old = h.EnrollClassic(Secret);
        h.Dynatrace.Fault = (op, _) => op == "verify" ? Engine.Dynatrace.DynatraceStatus.Unauthorized : null;
        h.Checkpoints.CrashAt = RotationCheckpoint.AfterRestore;

        await Assert.ThrowsAsync<SimulatedCrashException>(() => h.RotateAsync(Secret));
        h.Dynatrace.Fault = null;

        await RestartAndRunTimersAsync(h);
        InvariantChecker.AssertHolds(h, Secret);
        Assert.Equal(old.Id, h.CurrentToken(Secret).Id);
        Assert.Equal("RolledBack", (await h.Store.GetAsync(Secret, CancellationToken.None))!.LastOutcome);
    }

    [Fact]
    public async Task A_crash_while_holding_the_lease_blocks_other_runs_only_until_the_lease_expires()
    {
        var h = new RotationHarness();
        h.EnrollClassic(Secret);
        h.Checkpoints.CrashAt = RotationCheckpoint.AfterCreate;
        await Assert.ThrowsAsync<SimulatedCrashException>(() => h.RotateAsync(Secret));
        h.Restart();

        var blocked = await h.RotateAsync(Secret);
        Assert.Equal(RotationOutcome.InProgress, blocked.Outcome);

        h.Time.Advance(h.Options.LeaseDuration + TimeSpan.FromSeconds(1));
        var resumed = await h.Rotator.ResumeAsync(Secret, "test", "test", CancellationToken.None);
        Assert.Equal(RotationOutcome.Rotated, resumed!.Outcome);
        InvariantChecker.AssertHolds(h, Secret);
    }

    private static async Task CrashAndConvergeAsync(RotationHarness h, RotationCheckpoint checkpoint, string kind, RotationTrigger trigger)
    {
        var old = kind == "classic" ? h.EnrollClassic(Secret, overlap: "2d") : h.EnrollPlatform(Secret, overlap: "2d");
        if (trigger == RotationTrigger.Leak)
        {
            h.Dynatrace.Disable(old.Id); // the kill-switch disables first
        }

        h.Checkpoints.CrashAt = checkpoint;
        await Assert.ThrowsAsync<SimulatedCrashException>(() => h.RotateAsync(Secret, trigger, old.Id));
        Assert.Equal(checkpoint, h.Checkpoints.Reached[^1]);

        await RestartAndRunTimersAsync(h);

        // Converged: exactly one new token, current and working; the old one retiring (or gone after a leak).
        InvariantChecker.AssertHolds(h, Secret);
        var current = h.CurrentToken(Secret);
        Assert.NotEqual(old.Id, current.Id);
        Assert.True(h.Dynatrace.IsUsable(current));
        Assert.Single(h.Dynatrace.Tokens, t => t.Name.Contains("[tf:", StringComparison.Ordinal) && h.Dynatrace.IsUsable(t));
        var row = await h.Store.GetAsync(Secret, CancellationToken.None);
        Assert.Null(row!.Active);
        Assert.Equal("Rotated", row.LastOutcome);
        Assert.Equal("current", h.Vault.Latest(Secret)!.Tags["tf-stage"]);

        // After the overlap window and the grace period the old token is disabled, then deleted.
        h.Time.Advance(TimeSpan.FromDays(2));
        await h.RunTimersAsync();
        InvariantChecker.AssertHolds(h, Secret);
        Assert.False(old.Enabled);
        h.Time.Advance(TimeSpan.FromDays(7));
        await h.RunTimersAsync();
        Assert.True(old.Deleted);
        InvariantChecker.AssertHolds(h, Secret);
    }

    private static async Task RestartAndRunTimersAsync(RotationHarness h)
    {
        h.Checkpoints.CrashAt = null;
        h.Time.Advance(h.Options.LeaseDuration + TimeSpan.FromMinutes(1));
        h.Restart();
        await h.RunTimersAsync();
    }
}
