using Microsoft.Extensions.DependencyInjection;
using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.IntegrationTests.Dynatrace;
using TokenFunctions.Engine.IntegrationTests.Rotation;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;
using TokenFunctions.Engine.Rotation;
using TokenFunctions.Engine.Rotation.Jobs;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.IntegrationTests.Readings;

/// <summary>
/// Reading × operation: every platform path (kill by secret and by id, dry run, protected lookup, enable, rotation,
/// reconciliation, hygiene, evidence of use) against the loopback sandbox playing each reading of the docs (reference §10,
/// <see cref="ReadingCase.All"/>), as the app wires it over HTTP. 12 readings × 9 operations. The token of interest always
/// shares the account with 150 others whose names mention its id, so every search spans pages.
/// </summary>
public sealed class ReadingMatrixTests
{
    private const string Managed = "platform-token";
    private static readonly string[] AutomationScopes = ["storage:logs:read", "app-engine:apps:run"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Readings => ReadingCase.Names;

    [Theory]
    [MemberData(nameof(Readings))]
    public async Task Kill_by_secret_disables_the_token(string reading)
    {
        var r = ReadingCase.Named(reading);
        await using var s = await r.StartAsync();
        var token = AddLeakable(s);

        var outcome = Assert.Single((await s.Kill.DisableAsync(new KillRequest([Leak.FromSecret(TokenSecret.Parse(token.Secret), "github-alert", "m-secret")]), Ct)).Outcomes);

        Assert.Equal(TokenOutcomeKind.Disabled, outcome.Outcome);
        Assert.False(s.SandboxAccount.GetPlatformToken(token.Id)!.IsActive);
        AssertNamesReadings(r, outcome.Detail);
    }

    [Theory]
    [MemberData(nameof(Readings))]
    public async Task Kill_by_id_disables_the_token(string reading)
    {
        var r = ReadingCase.Named(reading);
        await using var s = await r.StartAsync();
        var token = AddLeakable(s);

        var outcome = Assert.Single((await s.Kill.DisableAsync(new KillRequest([Leak.FromId(TokenId.Parse(token.Id), "queue", "m-id")]), Ct)).Outcomes);

        Assert.Equal(TokenOutcomeKind.Disabled, outcome.Outcome);
        Assert.False(s.SandboxAccount.GetPlatformToken(token.Id)!.IsActive);
        AssertNamesReadings(r, outcome.Detail);
    }

    [Theory]
    [MemberData(nameof(Readings))]
    public async Task Dry_run_finds_the_token_and_writes_nothing(string reading)
    {
        var r = ReadingCase.Named(reading);
        await using var s = await r.StartAsync();
        var token = AddLeakable(s);

        var outcome = Assert.Single((await s.Kill.DisableAsync(new KillRequest([Leak.FromId(TokenId.Parse(token.Id), "queue", "m-dry")]) { DryRun = true }, Ct)).Outcomes);

        Assert.Equal(TokenOutcomeKind.WouldDisable, outcome.Outcome);
        Assert.Equal("acct", outcome.Owner);
        Assert.Equal(AutomationScopes, outcome.Facts!.Scopes);
        Assert.True(s.SandboxAccount.GetPlatformToken(token.Id)!.IsActive);
        Assert.Equal(0, s.SandboxAccount.CallCount(SandboxEndpoint.PlatformTokensStatus));
        AssertNamesReadings(r, outcome.Detail);
    }

    [Theory]
    [MemberData(nameof(Readings))]
    public async Task A_protected_token_is_looked_up_and_left_alone(string reading)
    {
        var r = ReadingCase.Named(reading);
        await using var s = await r.StartAsync(c => c.Set("KillSwitch:ProtectedTokenIds:0", "dt0s16.PROTECTD"));
        var token = AddLeakable(s, id: "dt0s16.PROTECTD");

        var outcome = Assert.Single((await s.Kill.DisableAsync(new KillRequest([Leak.FromSecret(TokenSecret.Parse(token.Secret), "github-alert", "m-protected")]), Ct)).Outcomes);

        Assert.Equal(TokenOutcomeKind.Protected, outcome.Outcome);
        Assert.Contains($"Its status in acct is {(r.Reading.ListsStatus ? "ACTIVE" : "unknown")}", outcome.Detail, StringComparison.Ordinal);
        Assert.True(s.SandboxAccount.GetPlatformToken(token.Id)!.IsActive);
        Assert.Equal(0, s.SandboxAccount.CallCount(SandboxEndpoint.PlatformTokensStatus));
    }

    [Theory]
    [MemberData(nameof(Readings))]
    public async Task Enable_finds_the_token_and_sets_it_active(string reading)
    {
        var r = ReadingCase.Named(reading);
        await using var s = await r.StartAsync();
        var token = AddLeakable(s, active: false);

        var outcome = await s.Kill.EnableAsync(TokenId.Parse(token.Id), null, "m-enable", "alice@example.com", "false alarm", Ct);

        Assert.Equal(TokenOutcomeKind.Enabled, outcome.Outcome);
        Assert.True(s.SandboxAccount.GetPlatformToken(token.Id)!.IsActive);
        AssertNamesReadings(r, outcome.Detail);
    }

    [Theory]
    [MemberData(nameof(Readings))]
    public async Task Rotation_replaces_the_credential_and_retires_the_old_token(string reading)
    {
        var r = ReadingCase.Named(reading);
        await using var s = await r.StartAsync();
        var old = s.EnrollPlatform(Managed, overlap: "2d");
        s.AddPlatformFiller(150, "copy of " + old.Id);

        var result = await s.RotateAsync(Managed, RotationTrigger.Manual);

        Assert.Equal(RotationOutcome.Rotated, result.Outcome);
        var fresh = s.SandboxAccount.GetPlatformToken(s.CurrentId(Managed))!;
        Assert.NotEqual(old.Id, fresh.Id);
        Assert.True(fresh.IsActive);
        Assert.Equal(AutomationScopes, fresh.Scopes);
        Assert.True(s.IsUsable(old.Id));

        s.Time.Advance(TimeSpan.FromDays(3));
        await s.Services.GetRequiredService<SweepJob>().RunAsync(Ct);

        Assert.False(s.SandboxAccount.GetPlatformToken(old.Id)!.IsActive);
        await s.AssertInvariantsAsync(Managed);
    }

    [Theory]
    [MemberData(nameof(Readings))]
    public async Task Reconciliation_kills_every_orphan_past_the_first_page_and_keeps_the_credential(string reading)
    {
        var r = ReadingCase.Named(reading);
        await using var s = await r.StartAsync();
        var current = s.EnrollPlatform(Managed);
        s.AddPlatformFiller(150, "not ours " + RotationNames.SearchTerm("tokenfunctions"));
        var orphans = Enumerable.Range(0, 12).Select(i => s.SandboxAccount.AddPlatformToken(new SandboxPlatformTokenSeed
        {
            Name = RotationNames.TokenName(Managed, "tokenfunctions", $"{i:x32}"),
            Scopes = AutomationScopes,
            UserUuid = s.OAuthClient.UserUuid,
        })).ToList();

        var report = await s.Services.GetRequiredService<ReconciliationJob>().RunAsync(Ct);

        Assert.Empty(report.Errors);
        Assert.Equal(12, report.Orphans.Count(o => o.Action == OrphanAction.Killed));
        Assert.All(orphans, o => Assert.Null(s.SandboxAccount.GetPlatformToken(o.Id)));
        Assert.True(s.IsUsable(current.Id));
    }

    [Theory]
    [MemberData(nameof(Readings))]
    public async Task Hygiene_reports_every_token_and_auto_disables_only_the_unmanaged_unused_one(string reading)
    {
        var r = ReadingCase.Named(reading);
        await using var s = await r.StartAsync(c => c.Set("Rotation:Hygiene:AutoDisableUnused", "true"));
        var longAgo = s.Time.GetUtcNow() - TimeSpan.FromDays(200);
        var managed = s.EnrollPlatform(Managed);
        s.SandboxAccount.RecordUse(managed.Id, longAgo, "10.0.0.1");
        var unused = s.SandboxAccount.AddPlatformToken(new SandboxPlatformTokenSeed
        {
            Name = "forgotten",
            Scopes = AutomationScopes,
            LastUsedAt = longAgo,
            LastClient = "10.0.0.2",
            ExpirationDate = s.Time.GetUtcNow() + TimeSpan.FromDays(30),
        });
        s.AddPlatformFiller(150, "never expires", expires: false);

        var report = await s.Services.GetRequiredService<HygieneReportJob>().RunAsync(Ct);

        Assert.Empty(report.Errors);
        Assert.Equal(150, report.Of(HygieneIssue.NeverExpires).Count(f => f.Target == RotationSandboxScenario.Account));
        var disabled = Assert.Single(report.Findings, f => f.Action == HygieneAction.Disabled);
        Assert.Equal(RotationSandboxScenario.Account, disabled.Target);
        Assert.False(s.SandboxAccount.GetPlatformToken(unused.Id)!.IsActive);
        Assert.True(s.SandboxAccount.GetPlatformToken(managed.Id)!.IsActive);
        Assert.Equal(2, report.Of(HygieneIssue.Unused).Count(f => f.Target == RotationSandboxScenario.Account));
    }

    [Theory]
    [MemberData(nameof(Readings))]
    public async Task Evidence_of_use_after_the_leak_reaches_the_audit_trail(string reading)
    {
        var r = ReadingCase.Named(reading);
        await using var s = await r.StartAsync(c => c.Set("Dynatrace:Accounts:0:ReadAuditLog", "true"));
        var token = AddLeakable(s);
        var leakedAt = s.Time.GetUtcNow() - TimeSpan.FromHours(2);
        var usedAt = s.Time.GetUtcNow() - TimeSpan.FromMinutes(30);
        s.SandboxAccount.RecordUse(token.Id, usedAt, "203.0.113.7", "WRITE", "settings");

        var kill = await s.Kill.DisableAsync(
            new KillRequest([Leak.FromSecret(TokenSecret.Parse(token.Secret), "github-alert", "m-evidence") with { DetectedAt = leakedAt }]), Ct);
        Assert.Equal(TokenOutcomeKind.Disabled, Assert.Single(kill.Outcomes).Outcome);
        Assert.DoesNotContain(s.Audit.Records, a => a.Action == "evidence"); // gathered after the kill, never before it

        await s.Services.GetRequiredService<UsageEvidenceQueue>().DrainAsync(Ct);

        var evidence = Assert.Single(s.Audit.Records, a => a.Action == "evidence");
        Assert.Equal("m-evidence", evidence.CorrelationId);
        Assert.Equal("UsedAfterLeak", evidence.Outcome);
        Assert.Equal(usedAt.ToUnixTimeMilliseconds(), evidence.BlastRadius!.LastUsedDate!.Value.ToUnixTimeMilliseconds());
        Assert.Equal("203.0.113.7", evidence.BlastRadius.LastUsedIpAddress);
        Assert.Contains(r.Reading.LastClientAsIp ? "(lastClientIp)" : "(lastClientId)", evidence.Detail, StringComparison.Ordinal);
        Assert.Contains("AFTER the leak", evidence.Detail, StringComparison.Ordinal);
        if (r.Reading.ScopeFamily != SandboxScopeFamily.PlatformToken && r.HoldsIdmScopes)
        {
            Assert.Contains("1 entry made with it", evidence.Detail, StringComparison.Ordinal);
            Assert.Contains("WRITE settings from 203.0.113.7", evidence.Detail, StringComparison.Ordinal);
        }
        else
        {
            // The audit log's scope (account-idm-read) is not in the family this client holds: said, not hidden.
            Assert.Contains("account audit log could not be read", evidence.Detail, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// Request counts where the first PUT finds the token: one status PUT, no list, no extra SSO call. Under ids of the
    /// server's own form that is once the app knows the token's id there (here from a dry run; in production from the
    /// create answer or an earlier search).
    /// </summary>
    [Theory]
    [MemberData(nameof(Readings))]
    public async Task Where_the_first_PUT_finds_the_token_the_kill_is_one_request(string reading)
    {
        var r = ReadingCase.Named(reading);
        await using var s = await r.StartAsync();
        var token = AddLeakable(s);
        var leak = Leak.FromSecret(TokenSecret.Parse(token.Secret), "github-alert", "m-count");
        Assert.Equal(TokenOutcomeKind.WouldDisable, Assert.Single((await s.Kill.DisableAsync(new KillRequest([leak]) { DryRun = true }, Ct)).Outcomes).Outcome);
        s.Sandbox.ResetCounters();

        var outcome = Assert.Single((await s.Kill.DisableAsync(new KillRequest([leak]), Ct)).Outcomes);

        Assert.Equal(TokenOutcomeKind.Disabled, outcome.Outcome);
        Assert.Equal(1, s.SandboxAccount.CallCount(SandboxEndpoint.PlatformTokensStatus));
        Assert.Equal(0, s.SandboxAccount.CallCount(SandboxEndpoint.PlatformTokensList));
        Assert.Equal(0, s.Sandbox.SsoCallCount);
    }

    /// <summary>An active token named "automation" among 150 others whose names mention its id.</summary>
    private static SandboxIssuedToken AddLeakable(RotationSandboxScenario s, bool active = true, string? id = null)
    {
        var token = s.SandboxAccount.AddPlatformToken(new SandboxPlatformTokenSeed
        {
            Id = id,
            Name = "automation",
            Scopes = AutomationScopes,
            UserUuid = s.OAuthClient.UserUuid,
            Active = active,
        });
        s.AddPlatformFiller(150, "copy of " + token.Id);
        return token;
    }

    /// <summary>The outcome names the readings met: the scope family held and the id form, so an operator learns them.</summary>
    private static void AssertNamesReadings(ReadingCase r, string? detail)
    {
        Assert.Contains("Readings met in acct: scopes " + r.ExpectedFamily, detail, StringComparison.Ordinal);
        Assert.Contains(r.Reading.IdForm == SandboxIdForm.Uuid ? "ids of the server's own form" : "ids dt0s16.PUBLIC", detail, StringComparison.Ordinal);
    }
}
