using System.Diagnostics.Metrics;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Rotation;
using TokenFunctions.Engine.Rotation.Jobs;
using TokenFunctions.Engine.Telemetry;
using TokenFunctions.Engine.UnitTests.KeyVault.Support;
using TokenFunctions.Engine.UnitTests.Rotation.Support;

namespace TokenFunctions.Engine.UnitTests.Rotation;

public sealed class ScheduledRotationJobTests
{
    [Fact]
    public async Task Rotates_what_is_older_than_its_period_and_leaves_the_rest()
    {
        var h = new RotationHarness();
        h.EnrollClassic("weekly", period: "7d", overlap: "1d");
        var quarterly = h.EnrollClassic("quarterly", period: "90d", overlap: "1d");

        h.Time.Advance(TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1));
        var early = await h.Scheduled.RunAsync(CancellationToken.None);
        Assert.All(early.Items, i => Assert.Equal(RotationDecision.NotDue, i.Decision));

        h.Time.Advance(TimeSpan.FromMinutes(1));
        var report = await h.Scheduled.RunAsync(CancellationToken.None);

        var weekly = Assert.Single(report.Items, i => i.SecretName == "weekly");
        Assert.Equal(RotationDecision.Age, weekly.Decision);
        Assert.Equal(RotationOutcome.Rotated, weekly.Result!.Outcome);
        Assert.Equal(RotationDecision.NotDue, Assert.Single(report.Items, i => i.SecretName == "quarterly").Decision);
        Assert.Equal(quarterly.Id, h.CurrentToken("quarterly").Id);
        Assert.Equal(1, report.Rotated);

        // The new version is young again: the next run leaves it alone.
        var next = await h.Scheduled.RunAsync(CancellationToken.None);
        Assert.Equal(RotationDecision.NotDue, Assert.Single(next.Items, i => i.SecretName == "weekly").Decision);
        InvariantChecker.AssertHolds(h, "weekly", "quarterly");
    }

    [Fact]
    public async Task Rotates_a_credential_whose_version_expires_soon_whatever_its_age()
    {
        var h = new RotationHarness();
        h.EnrollClassic("expiring", period: "365d", expiresOn: RotationHarness.Start + TimeSpan.FromDays(20));

        h.Time.Advance(TimeSpan.FromDays(6) + TimeSpan.FromHours(1));
        var report = await h.Scheduled.RunAsync(CancellationToken.None);

        Assert.Equal(RotationDecision.NearExpiry, Assert.Single(report.Items, i => i.SecretName == "expiring").Decision);
        Assert.NotNull(h.Vault.Latest("expiring")!.ExpiresOn);
        Assert.True(h.Vault.Latest("expiring")!.ExpiresOn > h.Time.GetUtcNow() + TimeSpan.FromDays(365));
    }

    [Fact]
    public async Task Rotates_a_credential_whose_token_expires_soon_in_Dynatrace_even_without_a_Key_Vault_expiry()
    {
        var h = new RotationHarness();
        var token = h.EnrollClassic("expiring", period: "365d");
        token.Expiration = RotationHarness.Start + TimeSpan.FromDays(10);

        var report = await h.Scheduled.RunAsync(CancellationToken.None);

        Assert.Equal(RotationDecision.NearExpiry, Assert.Single(report.Items, i => i.SecretName == "expiring").Decision);
    }

    [Fact]
    public async Task Rotates_at_once_when_Dynatrace_no_longer_accepts_the_current_token_without_overlap()
    {
        var h = new RotationHarness();
        var disabled = h.EnrollClassic("disabled-by-someone", overlap: "3d");
        h.Dynatrace.Disable(disabled.Id);
        var deleted = h.EnrollClassic("deleted-by-someone");
        h.Dynatrace.Find(deleted.Id)!.Deleted = true;

        var report = await h.Scheduled.RunAsync(CancellationToken.None);

        Assert.Equal(RotationDecision.CurrentUnusable, Assert.Single(report.Items, i => i.SecretName == "disabled-by-someone").Decision);
        Assert.Equal(RotationDecision.CurrentUnusable, Assert.Single(report.Items, i => i.SecretName == "deleted-by-someone").Decision);

        // The deleted token's scopes are gone with it: nothing to copy, so it is reported, not guessed.
        Assert.Equal(RotationOutcome.Failed, Assert.Single(report.Items, i => i.SecretName == "deleted-by-someone").Result!.Outcome);
        Assert.Equal(RotationOutcome.Rotated, Assert.Single(report.Items, i => i.SecretName == "disabled-by-someone").Result!.Outcome);
        var retiring = Assert.Single((await h.Store.GetAsync("disabled-by-someone", CancellationToken.None))!.Retiring);
        Assert.NotNull(retiring.DisabledAt);
    }

    [Fact]
    public async Task Caps_new_rotations_per_run_and_takes_the_rest_next_time()
    {
        var h = new RotationHarness(configure: o => o.MaxRotationsPerRun = 2);
        for (var i = 0; i < 3; i++)
        {
            h.EnrollClassic($"token-{i}", period: "1d", overlap: "1h");
        }

        h.Time.Advance(TimeSpan.FromDays(1));
        var first = await h.Scheduled.RunAsync(CancellationToken.None);
        var second = await h.Scheduled.RunAsync(CancellationToken.None);

        Assert.Equal(2, first.Rotated);
        Assert.Equal(1, first.Count(RotationDecision.Deferred));
        Assert.Equal(1, second.Rotated);
        InvariantChecker.AssertHolds(h, "token-0", "token-1", "token-2");
    }

    [Fact]
    public async Task A_missed_run_is_harmless_the_next_one_catches_up()
    {
        var h = new RotationHarness();
        var old = h.EnrollClassic("ci", period: "7d", overlap: "1d");

        h.Time.Advance(TimeSpan.FromDays(30)); // three weeks of runs missed
        await h.RunTimersAsync();
        await h.RunTimersAsync();

        Assert.Equal(1, h.Dynatrace.CreatedCount);
        Assert.True(old.Enabled); // still inside its overlap window
        h.Time.Advance(TimeSpan.FromDays(1));
        await h.RunTimersAsync();
        Assert.False(old.Enabled);
        InvariantChecker.AssertHolds(h, "ci");
    }

    [Fact]
    public async Task Misconfigured_credentials_are_listed_in_the_report()
    {
        var h = new RotationHarness();
        var token = h.Dynatrace.Issue(RotationHarness.Environment, Engine.Tokens.TokenKind.ClassicApiToken, "x", ["a"]);
        h.Vault.Seed("broken", token.Secret, RotationHarness.Tags(token, "classic", RotationHarness.Environment, "90d", "120d"));

        var report = await h.Scheduled.RunAsync(CancellationToken.None);

        Assert.Contains(report.Problems, p => p.SecretName == "broken");
        Assert.DoesNotContain(report.Items, i => i.SecretName == "broken");
    }

    [Fact]
    public async Task A_Key_Vault_outage_is_a_report_not_an_exception()
    {
        var h = new RotationHarness();
        h.Vault.OnList = () => InMemoryKeyVault.Failure(503);

        var report = await h.Scheduled.RunAsync(CancellationToken.None);

        Assert.Contains("503", report.Error, StringComparison.Ordinal);
        Assert.Empty(report.Items);
    }

    [Fact]
    public async Task Emits_the_NotDue_and_Rotated_outcomes_the_overdue_alert_counts()
    {
        var h = new RotationHarness();
        h.EnrollClassic("ci", period: "7d", overlap: "1d");
        var points = new List<(string Step, string Outcome)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this harness's meter: other tests run in parallel with meters of the same name.
            if (instrument.Meter.Name == TokenFunctionsMetrics.MeterName && instrument.Name == "tokenfunctions.rotations" && ReferenceEquals(instrument.Meter.Scope, h.MeterFactory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            string? step = null, outcome = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "step")
                {
                    step = tag.Value as string;
                }
                else if (tag.Key == "outcome")
                {
                    outcome = tag.Value as string;
                }
            }

            lock (points)
            {
                points.Add((step!, outcome!));
            }
        });
        listener.Start();

        await h.Scheduled.RunAsync(CancellationToken.None);
        h.Time.Advance(TimeSpan.FromDays(7));
        await h.Scheduled.RunAsync(CancellationToken.None);
        listener.Dispose();

        Assert.Contains(("schedule-run", "NotDue"), points);
        Assert.Contains(("schedule", "NotDue"), points);
        Assert.Contains(("rotate-finish", "Rotated"), points);
        Assert.Contains(("rotate-create", "Created"), points);
        Assert.Contains(("schedule-run", "Completed"), points);
    }

    [Fact]
    public async Task Skips_the_Dynatrace_status_check_when_switched_off()
    {
        var h = new RotationHarness(configure: o => o.CheckCurrentTokenStatus = false);
        var token = h.EnrollClassic("ci");
        h.Dynatrace.Disable(token.Id);

        var report = await h.Scheduled.RunAsync(CancellationToken.None);

        Assert.Equal(RotationDecision.NotDue, Assert.Single(report.Items, i => i.SecretName == "ci").Decision);
        Assert.DoesNotContain(h.Dynatrace.Calls, c => c.Op == "get");
    }

    [Fact]
    public async Task A_transient_status_check_failure_is_not_a_reason_to_rotate()
    {
        var h = new RotationHarness();
        h.EnrollClassic("ci");
        h.Dynatrace.Fault = (op, _) => op == "get" ? DynatraceStatus.Transient : null;

        var report = await h.Scheduled.RunAsync(CancellationToken.None);

        var item = Assert.Single(report.Items, i => i.SecretName == "ci");
        Assert.Equal(RotationDecision.NotDue, item.Decision);
        Assert.Contains("Transient", item.Detail, StringComparison.Ordinal);
    }
}
