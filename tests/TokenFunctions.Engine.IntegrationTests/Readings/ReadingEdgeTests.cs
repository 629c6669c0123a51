using Microsoft.Extensions.DependencyInjection;
using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.IntegrationTests.Rotation;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;
using TokenFunctions.Engine.Notifications;
using TokenFunctions.Engine.Rotation;
using TokenFunctions.Engine.Rotation.Jobs;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.IntegrationTests.Readings;

/// <summary>
/// Where the readings meet what the engine cannot know: ids it cannot map, a scope family nobody granted, a listing that
/// stops half-way, an environment that no longer creates classic tokens, a secret that does not verify for an id that
/// exists. Every case ends in an outcome that says what is true, against the sandbox over HTTP.
/// </summary>
public sealed class ReadingEdgeTests
{
    private static readonly string[] AutomationScopes = ["storage:logs:read"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_platform_token_no_search_can_map_is_Unaddressable_never_NotFound()
    {
        // UUID ids and a searchTerm the server ignores: nothing ties the leaked dt0s16 id to any listed tokenId.
        await using var s = await RotationSandboxScenario.StartAsync(new SandboxPlatformReading { IdForm = SandboxIdForm.Uuid, HonoursSearchTerm = false });
        var token = s.SandboxAccount.AddPlatformToken(new SandboxPlatformTokenSeed { Name = "automation", Scopes = AutomationScopes });
        s.SandboxAccount.AddPlatformToken(new SandboxPlatformTokenSeed { Name = "other" });

        var kill = Assert.Single((await s.Kill.DisableAsync(new KillRequest([Leak.FromId(TokenId.Parse(token.Id), "queue", "m-1")]), Ct)).Outcomes);
        var dry = Assert.Single((await s.Kill.DisableAsync(new KillRequest([Leak.FromId(TokenId.Parse(token.Id), "queue", "m-2")]) { DryRun = true }, Ct)).Outcomes);

        Assert.Equal(TokenOutcomeKind.Unaddressable, kill.Outcome);
        Assert.Contains("(id form unknown)", kill.Detail, StringComparison.Ordinal);
        Assert.Contains("ids of the server's own form", kill.Detail, StringComparison.Ordinal);
        Assert.Equal(TokenOutcomeKind.Unaddressable, dry.Outcome);
        Assert.True(s.SandboxAccount.GetPlatformToken(token.Id)!.IsActive);
        Assert.Equal(OutcomeClass.NeedsHuman, OutcomeClassifier.Classify(kill.Outcome));
        Assert.Contains("Account Management > Platform tokens", IncidentTokenLine.From(kill).HumanAction, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Under_server_ids_absence_is_claimed_only_once_a_search_has_shown_it_finds_dt0s16_ids()
    {
        await using var s = await RotationSandboxScenario.StartAsync(new SandboxPlatformReading { IdForm = SandboxIdForm.Uuid });
        var token = s.SandboxAccount.AddPlatformToken(new SandboxPlatformTokenSeed { Name = "automation", Scopes = AutomationScopes });
        var nowhere = Leak.FromId(TokenId.Parse("dt0s16.NOWHERE1"), "queue", "m-none");

        var before = Assert.Single((await s.Kill.DisableAsync(new KillRequest([nowhere]), Ct)).Outcomes);
        Assert.Equal(TokenOutcomeKind.Disabled, Assert.Single((await s.Kill.DisableAsync(new KillRequest([Leak.FromId(TokenId.Parse(token.Id), "queue", "m-real")]), Ct)).Outcomes).Outcome);
        var after = Assert.Single((await s.Kill.DisableAsync(new KillRequest([nowhere]), Ct)).Outcomes);

        Assert.Equal(TokenOutcomeKind.Unaddressable, before.Outcome);
        Assert.Equal(TokenOutcomeKind.NotFound, after.Outcome);
    }

    [Fact]
    public async Task A_retiring_platform_token_the_account_cannot_address_stays_on_the_schedule()
    {
        await using var s = await RotationSandboxScenario.StartAsync(new SandboxPlatformReading { IdForm = SandboxIdForm.Uuid, HonoursSearchTerm = false });
        var old = s.EnrollPlatform("platform-token", overlap: "1d");
        s.SandboxAccount.AddPlatformToken(new SandboxPlatformTokenSeed { Name = "someone else's" });
        Assert.True(await s.Rotation.TrackRetiringAsync(
            "platform-token",
            new RetiringToken { TokenId = TokenId.Parse(old.Id), Target = RotationSandboxScenario.Account, RotationId = new string('a', 32), DisableAfter = s.Time.GetUtcNow(), DeleteAfter = s.Time.GetUtcNow().AddDays(7) },
            "it",
            "integration-test",
            Ct));

        await s.Services.GetRequiredService<SweepJob>().RunAsync(Ct);

        // A 404 under the dt0s16 id at a server with ids of its own is not "gone": the entry waits for a human or a mapping.
        var row = await s.Store.GetAsync("platform-token", Ct);
        Assert.Single(row!.Retiring);
        Assert.Null(row.Retiring[0].DisabledAt);
        Assert.Contains(s.Audit.Records, a => a.Action == "retire-disable" && a.Outcome == nameof(DynatraceStatus.Unaddressable));
        Assert.True(s.SandboxAccount.GetPlatformToken(old.Id)!.IsActive);
    }

    [Fact]
    public async Task The_scheduled_run_under_server_ids_finds_the_current_token_and_starts_no_doomed_rotation()
    {
        await using var s = await RotationSandboxScenario.StartAsync(new SandboxPlatformReading { IdForm = SandboxIdForm.Uuid });
        s.EnrollPlatform("platform-token");
        s.AddPlatformFiller(150, "copy");

        var first = await s.Services.GetRequiredService<ScheduledRotationJob>().RunAsync(Ct);
        var second = await s.Services.GetRequiredService<ScheduledRotationJob>().RunAsync(Ct);

        Assert.All(first.Items.Concat(second.Items), i => Assert.Equal(RotationDecision.NotDue, i.Decision));
        Assert.Equal(0, s.SandboxAccount.CallCount(SandboxEndpoint.PlatformTokensCreate));
    }

    [Fact]
    public async Task A_listing_that_stops_half_way_keeps_what_it_saw_and_reconciliation_kills_those_orphans()
    {
        // A server that honours neither paging pair repeats page one: the walk stops there, and the twelve orphans on
        // page one are killed all the same; the run reports the incomplete listing.
        await using var s = await RotationSandboxScenario.StartAsync(new SandboxPlatformReading { Paging = SandboxPagingNames.None });
        s.EnrollPlatform("platform-token");
        var orphans = Enumerable.Range(0, 12).Select(i => s.SandboxAccount.AddPlatformToken(new SandboxPlatformTokenSeed
        {
            Id = $"dt0s16.A{i:D7}",
            Name = RotationNames.TokenName("platform-token", "tokenfunctions", $"{i:x32}"),
        })).ToList();
        for (var i = 0; i < 150; i++)
        {
            s.SandboxAccount.AddPlatformToken(new SandboxPlatformTokenSeed { Id = $"dt0s16.F{i:D7}", Name = "not ours " + RotationNames.SearchTerm("tokenfunctions") });
        }

        var report = await s.Services.GetRequiredService<ReconciliationJob>().RunAsync(Ct);

        Assert.Equal(12, report.Orphans.Count(o => o.Action == OrphanAction.Killed));
        Assert.All(orphans, o => Assert.Null(s.SandboxAccount.GetPlatformToken(o.Id)));
        Assert.Contains(report.Errors, e => e.Contains("listing stopped after", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_client_granted_only_the_platform_token_family_gets_it_after_one_invalid_scope_and_keeps_it()
    {
        await using var s = await RotationSandboxScenario.StartAsync(
            new SandboxPlatformReading { ScopeFamily = SandboxScopeFamily.PlatformToken }, ["platform-token:tokens:manage", "platform-token:tokens:write"]);
        var first = s.SandboxAccount.AddPlatformToken();
        var second = s.SandboxAccount.AddPlatformToken();

        Assert.Equal(TokenOutcomeKind.Disabled, Assert.Single((await s.Kill.DisableAsync(new KillRequest([Leak.FromId(TokenId.Parse(first.Id), "queue", "a")]), Ct)).Outcomes).Outcome);
        Assert.Equal(2, s.Sandbox.SsoCallCount); // account-idm refused (invalid_scope), platform-token issued
        Assert.Equal(TokenOutcomeKind.Disabled, Assert.Single((await s.Kill.DisableAsync(new KillRequest([Leak.FromId(TokenId.Parse(second.Id), "queue", "b")]), Ct)).Outcomes).Outcome);

        Assert.Equal(2, s.Sandbox.SsoCallCount);
        Assert.Equal("platform-token", s.Directory.Accounts[0].Readings.ScopeFamily);
        Assert.Contains(s.Logs.Lines, l => l.Contains("scope family account-idm did not work (the SSO answered invalid_scope); asking for platform-token instead", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_403_for_the_scope_family_switches_once_and_the_call_succeeds()
    {
        // The client holds both families; the service enforces the OpenAPI's.
        await using var s = await RotationSandboxScenario.StartAsync(new SandboxPlatformReading { ScopeFamily = SandboxScopeFamily.PlatformToken });
        var token = s.SandboxAccount.AddPlatformToken();

        var outcome = Assert.Single((await s.Kill.DisableAsync(new KillRequest([Leak.FromId(TokenId.Parse(token.Id), "queue", "a")]), Ct)).Outcomes);

        Assert.Equal(TokenOutcomeKind.Disabled, outcome.Outcome);
        Assert.Equal(2, s.SandboxAccount.CallCount(SandboxEndpoint.PlatformTokensStatus)); // 403 under account-idm, 204 under platform-token
        Assert.Equal(2, s.Sandbox.SsoCallCount);
        Assert.Contains("scopes platform-token", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_granted_neither_family_gets_one_clear_error_naming_both()
    {
        await using var s = await RotationSandboxScenario.StartAsync(new SandboxPlatformReading(), ["account-env-read"]);
        var token = s.SandboxAccount.AddPlatformToken();

        var outcome = Assert.Single((await s.Kill.DisableAsync(new KillRequest([Leak.FromId(TokenId.Parse(token.Id), "queue", "a")]), Ct)).Outcomes);

        Assert.Equal(TokenOutcomeKind.Denied, outcome.Outcome);
        Assert.Contains("refused both scope families", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("account-idm-read account-idm-write", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("platform-token:tokens:manage platform-token:tokens:write", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains("Dynatrace:Accounts:N:Scopes", outcome.Detail, StringComparison.Ordinal);
        Assert.True(s.SandboxAccount.GetPlatformToken(token.Id)!.IsActive);
    }

    [Fact]
    public async Task A_classic_rotation_in_a_Phase_3_environment_says_so_once_and_leaves_the_old_token_working()
    {
        await using var s = await RotationSandboxScenario.StartAsync();
        s.Env.ClassicCreationDisabled = true;
        var old = s.EnrollClassic("ci-token", period: "2d", overlap: "1d");
        s.Time.Advance(TimeSpan.FromDays(3));

        var first = await s.Services.GetRequiredService<ScheduledRotationJob>().RunAsync(Ct);
        var second = await s.Services.GetRequiredService<ScheduledRotationJob>().RunAsync(Ct);

        var attempt = Assert.Single(first.Items, i => i.SecretName == "ci-token" && i.Result is not null);
        Assert.Equal(RotationOutcome.CreationDisabled, attempt.Result!.Outcome);
        Assert.Contains("classic API token creation is switched off in environment prod", attempt.Result.Detail, StringComparison.Ordinal);
        Assert.Contains("move credential 'ci-token' to a platform token", attempt.Result.Detail, StringComparison.Ordinal);
        Assert.Equal(RotationDecision.CreationDisabled, Assert.Single(second.Items, i => i.SecretName == "ci-token").Decision);
        Assert.Equal(1, s.Env.CallCount(SandboxEndpoint.ApiTokensCreate)); // not retried on every run
        Assert.Equal(old.Id, s.CurrentId("ci-token"));
        Assert.True(s.IsUsable(old.Id));
    }

    [Fact]
    public async Task A_leaked_managed_classic_token_in_a_Phase_3_environment_is_disabled_and_says_no_replacement_could_be_made()
    {
        await using var s = await RotationSandboxScenario.StartAsync();
        s.Env.ClassicCreationDisabled = true;
        var leaked = s.EnrollClassic("ci-token");

        var outcome = Assert.Single((await s.Kill.DisableAsync(new KillRequest([Leak.FromSecret(TokenSecret.Parse(leaked.Secret), "github-alert", "m-p3")]), Ct)).Outcomes);

        Assert.Equal(TokenOutcomeKind.Disabled, outcome.Outcome);
        Assert.False(s.IsUsable(leaked.Id));
        Assert.Null(outcome.ReplacementLocation);
        Assert.Contains("classic API token creation is switched off in environment prod", outcome.ReplacementProblem, StringComparison.Ordinal);
        Assert.Contains("No replacement could be made", outcome.Detail, StringComparison.Ordinal);
        var line = IncidentTokenLine.From(outcome);
        Assert.True(line.NeedsHuman);
        Assert.Contains("no replacement could be made", line.HumanAction, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_full_secret_that_does_not_verify_for_an_id_that_exists_is_its_own_outcome_after_one_extra_request()
    {
        await using var s = await RotationSandboxScenario.StartAsync();
        var real = s.Env.AddToken(new SandboxApiTokenSeed { Name = "ci", Scopes = ["metrics.ingest"] });
        var forged = TokenSecret.Parse(real.Id + "." + new string('X', 64));
        s.Sandbox.ResetCounters();

        var outcome = Assert.Single((await s.Kill.DisableAsync(new KillRequest([Leak.FromSecret(forged, "generic", "m-forged")]), Ct)).Outcomes);

        Assert.Equal(TokenOutcomeKind.SecretNotVerified, outcome.Outcome);
        Assert.Equal(RotationSandboxScenario.Environment, outcome.Owner);
        Assert.Contains($"{real.Id} exists in environment prod", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains($"tokenfunctions kill {real.Id}", outcome.Detail, StringComparison.Ordinal);
        Assert.True(s.Env.GetToken(real.Id)!.Enabled);
        Assert.Equal((1L, 1L, 0L), (s.Env.CallCount(SandboxEndpoint.ApiTokensLookup), s.Env.CallCount(SandboxEndpoint.ApiTokensGet), s.Env.CallCount(SandboxEndpoint.ApiTokensUpdate)));
        Assert.Equal(OutcomeClass.NeedsHuman, OutcomeClassifier.Classify(outcome.Outcome));
    }

    [Fact]
    public async Task A_real_secret_needs_no_extra_request()
    {
        await using var s = await RotationSandboxScenario.StartAsync();
        var real = s.Env.AddToken(new SandboxApiTokenSeed { Name = "ci", Scopes = ["metrics.ingest"] });
        s.Sandbox.ResetCounters();

        var outcome = Assert.Single((await s.Kill.DisableAsync(new KillRequest([Leak.FromSecret(TokenSecret.Parse(real.Secret), "generic", "m-real")]), Ct)).Outcomes);

        Assert.Equal(TokenOutcomeKind.Disabled, outcome.Outcome);
        Assert.Equal((1L, 0L, 1L), (s.Env.CallCount(SandboxEndpoint.ApiTokensLookup), s.Env.CallCount(SandboxEndpoint.ApiTokensGet), s.Env.CallCount(SandboxEndpoint.ApiTokensUpdate)));
    }

    [Fact]
    public async Task Classic_evidence_of_use_comes_from_the_kill_s_own_lookup_without_another_request()
    {
        await using var s = await RotationSandboxScenario.StartAsync();
        var usedAt = s.Time.GetUtcNow() - TimeSpan.FromMinutes(5);
        var real = s.Env.AddToken(new SandboxApiTokenSeed { Name = "ci", Scopes = ["metrics.ingest"], LastUsedDate = usedAt, LastUsedIpAddress = "198.51.100.23" });
        var leak = Leak.FromSecret(TokenSecret.Parse(real.Secret), "generic", "m-classic") with { DetectedAt = s.Time.GetUtcNow() - TimeSpan.FromHours(1) };
        Assert.Equal(TokenOutcomeKind.Disabled, Assert.Single((await s.Kill.DisableAsync(new KillRequest([leak]), Ct)).Outcomes).Outcome);
        s.Sandbox.ResetCounters();

        await s.Services.GetRequiredService<UsageEvidenceQueue>().DrainAsync(Ct);

        var evidence = Assert.Single(s.Audit.Records, a => a.Action == "evidence");
        Assert.Equal("UsedAfterLeak", evidence.Outcome);
        Assert.Equal("198.51.100.23", evidence.BlastRadius!.LastUsedIpAddress);
        Assert.Contains("(lastUsedIpAddress)", evidence.Detail, StringComparison.Ordinal);
        Assert.Equal(0, s.Env.TotalCalls);
    }
}
