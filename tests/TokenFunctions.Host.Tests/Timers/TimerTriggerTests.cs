using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Host.Tests.Hosting;
using TokenFunctions.KeyVaultSandbox;

namespace TokenFunctions.Host.Tests.Timers;

/// <summary>
/// Each timer function fired by the host with a <c>TimerInfo</c>, on the running worker: the scheduled rotation writes
/// the new credential into Key Vault through the real <c>SecretClient</c> (token from the managed-identity endpoint),
/// the sweep disables the replaced token, reconciliation kills an orphan, and hygiene reports.
/// </summary>
public sealed class TimerTriggerTests(TimerApp app) : IClassFixture<TimerApp>
{
    private const string SecretName = "hosted-ci-ingest";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Rotation_sweep_reconciliation_and_hygiene_each_run_through_the_worker()
    {
        var old = app.Env1.AddToken(new SandboxApiTokenSeed { Name = "ci pipeline", Owner = "alice@example.com", Scopes = ["metrics.ingest", "logs.ingest"] });
        var enrolled = app.Vault.Seed(SecretName, app.Leaked(old), ManagedCredential.Tags(old, "env1", period: "1d", overlap: "0d"), contentType: "application/vnd.dynatrace.token");
        app.VaultClock.Advance(TimeSpan.FromDays(2));
        app.Vault.ResetCounters();

        (await app.Host.FireTimerAsync("ScheduledRotationTimer", cancellationToken: Ct)).EnsureSucceeded();

        var versions = app.Vault.Versions(SecretName);
        Assert.Equal(2, versions.Count);
        var latest = app.Vault.Latest(SecretName)!;
        Assert.NotEqual(enrolled.Version, latest.Version);
        var created = app.Env1.GetToken(latest.Tags["tf-token-id"])!;
        app.Leaked(new SandboxIssuedToken(created.Id, latest.Value));
        Assert.True(created.Enabled);
        Assert.Equal(["logs.ingest", "metrics.ingest"], created.Scopes.Order());
        Assert.Equal(old.Id, latest.Tags["tf-previous-token-id"]);
        Assert.Equal(ManagedCredential.Fingerprint(latest.Value), latest.Tags["tf-fingerprint"]);
        Assert.Equal(("classic", "env1", "1d", "0d"), (latest.Tags["tf-kind"], latest.Tags["tf-target"], latest.Tags["tf-rotation-period"], latest.Tags["tf-overlap"]));
        Assert.StartsWith(created.Id + ".", latest.Value, StringComparison.Ordinal);
        Assert.Contains(app.Vault.Requests, r => r is { Operation: KeyVaultOperation.SetSecret, Authenticated: true, StatusCode: 200 } && r.SecretName == SecretName);
        Assert.Contains(app.Vault.Requests, r => r.Operation == KeyVaultOperation.ManagedIdentityToken);
        Assert.True(app.Env1.GetToken(old.Id)!.Enabled, "the old token is retired by the sweep, not by the rotation");
        AssertReported("Scheduled rotation run: ", "1 rotated");

        // No overlap (tf-overlap 0d): the next sweep disables the replaced token; the new one keeps working.
        (await app.Host.FireTimerAsync("SweepTimer", cancellationToken: Ct)).EnsureSucceeded();
        Assert.False(app.Env1.GetToken(old.Id)!.Enabled);
        Assert.True(app.Env1.GetToken(created.Id)!.Enabled);
        AssertReported("Sweep run: ", "1 disabled");

        var orphan = app.Env1.AddToken(new SandboxApiTokenSeed { Name = $"{SecretName} [tf:tokenfunctions:{new string('b', 32)}]", Scopes = ["metrics.ingest"] });
        (await app.Host.FireTimerAsync("ReconciliationTimer", cancellationToken: Ct)).EnsureSucceeded();
        Assert.True(app.Env1.GetToken(orphan.Id) is null or { Enabled: false }, "the orphan still works");
        Assert.True(app.Env1.GetToken(created.Id)!.Enabled);
        AssertReported("Reconciliation run: ", "1 orphans killed");

        (await app.Host.FireTimerAsync("HygieneReportTimer", isPastDue: true, cancellationToken: Ct)).EnsureSucceeded();
        AssertReported("Hygiene run: ");
        Assert.Contains(app.Host.Log.Lines, l => l.Source == "rpc" && l.Message.StartsWith("Hygiene finding ", StringComparison.Ordinal));
        SecretScan.AssertNothingLeaked(app);
    }

    private void AssertReported(string prefix, string? contains = null) =>
        Assert.Contains(app.Host.Log.Lines, l => l.Source == "rpc" && l.Message.StartsWith(prefix, StringComparison.Ordinal)
            && (contains is null || l.Message.Contains(contains, StringComparison.Ordinal)));
}
