using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Rotation;
using TokenFunctions.Engine.Rotation.Jobs;
using TokenFunctions.Engine.UnitTests.Rotation.Support;

namespace TokenFunctions.Engine.UnitTests.Rotation;

/// <summary>The timer and a leak racing for one credential produce exactly one rotation.</summary>
public sealed class SingleFlightTests
{
    private const string Secret = "ci-ingest-token";

    [Fact]
    public async Task A_leak_arriving_while_the_timer_rotates_the_same_credential_does_not_start_a_second_rotation()
    {
        var h = new RotationHarness();
        var old = h.EnrollClassic(Secret, period: "1d", overlap: "1h");
        h.Time.Advance(TimeSpan.FromDays(2)); // due by age
        var inCreate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Dynatrace.Gate = async op =>
        {
            if (op == "create" && inCreate.TrySetResult())
            {
                await release.Task;
            }
        };

        var timer = Task.Run(() => h.Scheduled.RunAsync(CancellationToken.None));
        await inCreate.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        // The kill-switch disables the leaked token and asks for a replacement while the timer is inside create.
        h.Dynatrace.Disable(old.Id);
        var replacement = (await h.Leak.ReplaceLeakedAsync(Disabled(old), "incident-1", CancellationToken.None))?.Location;
        release.SetResult();
        var report = await timer;

        Assert.Equal(1, h.Dynatrace.CreatedCount);
        Assert.Equal(RotationOutcome.Rotated, Assert.Single(report.Items, i => i.SecretName == Secret).Result!.Outcome);
        Assert.Equal($"{KeyVault.Support.InMemoryKeyVault.VaultUri}secrets/{Secret}", replacement);
        InvariantChecker.AssertHolds(h, Secret);
    }

    [Fact]
    public async Task The_timer_arriving_while_a_leak_rotation_runs_skips_the_credential()
    {
        var h = new RotationHarness();
        var old = h.EnrollClassic(Secret, period: "1d", overlap: "1h");
        h.Time.Advance(TimeSpan.FromDays(2));
        h.Dynatrace.Disable(old.Id);
        var inVerify = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Dynatrace.Gate = async op =>
        {
            if (op == "verify" && inVerify.TrySetResult())
            {
                await release.Task;
            }
        };

        var leak = Task.Run(() => h.Leak.ReplaceLeakedAsync(Disabled(old), "incident-2", CancellationToken.None));
        await inVerify.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var report = await h.Scheduled.RunAsync(CancellationToken.None);
        release.SetResult();
        var replacement = (await leak)?.Location;

        Assert.Equal(1, h.Dynatrace.CreatedCount);
        Assert.Equal(RotationDecision.InProgress, Assert.Single(report.Items, i => i.SecretName == Secret).Decision);
        Assert.EndsWith(h.Vault.Latest(Secret)!.Version, replacement, StringComparison.Ordinal);
        InvariantChecker.AssertHolds(h, Secret);
    }

    [Fact]
    public async Task Many_concurrent_requests_for_one_credential_rotate_it_once()
    {
        var h = new RotationHarness();
        var old = h.EnrollClassic(Secret);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => h.RotateAsync(Secret, i % 2 == 0 ? RotationTrigger.Scheduled : RotationTrigger.Manual, old.Id))));

        Assert.Equal(1, h.Dynatrace.CreatedCount);
        Assert.Single(results, r => r.Outcome == RotationOutcome.Rotated);
        Assert.All(results, r => Assert.Contains(r.Outcome, new[] { RotationOutcome.Rotated, RotationOutcome.AlreadyRotated, RotationOutcome.InProgress }));
        InvariantChecker.AssertHolds(h, Secret);
    }

    [Fact]
    public async Task Overlapping_timer_runs_are_harmless()
    {
        var h = new RotationHarness();
        h.EnrollClassic(Secret, period: "1d", overlap: "1h");
        h.EnrollPlatform("platform-token", period: "1d", overlap: "1h");
        h.Time.Advance(TimeSpan.FromDays(1));

        await Task.WhenAll(
            Task.Run(() => h.Scheduled.RunAsync(CancellationToken.None)),
            Task.Run(() => h.Scheduled.RunAsync(CancellationToken.None)),
            Task.Run(() => h.Sweep.RunAsync(CancellationToken.None)),
            Task.Run(() => h.Reconciliation.RunAsync(CancellationToken.None)));

        Assert.Equal(2, h.Dynatrace.CreatedCount);
        InvariantChecker.AssertHolds(h, Secret, "platform-token");
    }

    private static TokenOutcome Disabled(FakeToken token) => new() { TokenId = token.Id, Outcome = TokenOutcomeKind.Disabled, Owner = token.Target };
}
