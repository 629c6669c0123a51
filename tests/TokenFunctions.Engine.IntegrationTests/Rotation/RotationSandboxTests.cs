using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Engine.KeyVault;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;
using TokenFunctions.Engine.Rotation;
using TokenFunctions.Engine.Tokens;
using TokenFunctions.Engine.UnitTests.KeyVault.Support;
using TokenFunctions.Engine.UnitTests.Rotation.Support;

namespace TokenFunctions.Engine.IntegrationTests.Rotation;

/// <summary>Rotation over real HTTP against the loopback Dynatrace sandbox, with rotation state in Azurite.</summary>
public sealed class RotationSandboxTests
{
    private const string Secret = "ci-ingest-token";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_classic_token_is_rotated_verified_with_itself_and_its_predecessor_disabled_then_deleted()
    {
        await using var s = await RotationSandboxScenario.StartAsync();
        var old = s.EnrollClassic(Secret, overlap: "2d", scopes: ["metrics.ingest", "logs.ingest", "events.ingest"]);

        var result = await s.RotateAsync(Secret);

        Assert.Equal(RotationOutcome.Rotated, result.Outcome);
        var newId = s.CurrentId(Secret);
        var created = s.Env.GetToken(newId)!;
        Assert.Equal(["metrics.ingest", "logs.ingest", "events.ingest"], created.Scopes);
        Assert.Equal($"{Secret} [tf:tokenfunctions:{result.RotationId}]", created.Name);
        Assert.Equal("svc-tokenfunctions@example.com", created.Owner);
        Assert.Equal(s.Time.GetUtcNow() + TimeSpan.FromDays(90 + 2 + 14), created.ExpirationDate);
        Assert.Equal("svc-tokenfunctions@example.com", s.Vault.Latest(Secret)!.Tags[ManagedCredentialTags.TokenOwner]);
        Assert.Contains(s.Sandbox.Requests, r => r.Endpoint == SandboxEndpoint.ApiTokensLookup && r.CallerId == newId && r.StatusCode == 200);
        Assert.Equal(1, s.Env.CallCount(SandboxEndpoint.ApiTokensCreate));
        Assert.True(s.Env.GetToken(old.Id)!.Enabled);
        await s.AssertInvariantsAsync(Secret);

        s.Time.Advance(TimeSpan.FromDays(2));
        await s.RunTimersAsync();
        Assert.False(s.Env.GetToken(old.Id)!.Enabled);
        await s.AssertInvariantsAsync(Secret);

        s.Time.Advance(TimeSpan.FromDays(7));
        await s.RunTimersAsync();
        Assert.Null(s.Env.GetToken(old.Id));
        Assert.Empty((await s.Store.GetAsync(Secret, Ct))!.Retiring);
        await s.AssertInvariantsAsync(Secret);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task A_platform_token_is_rotated_through_the_Account_Management_API(int pageBase)
    {
        await using var s = await RotationSandboxScenario.StartAsync(pageBase);
        var old = s.EnrollPlatform("platform-token", overlap: "1d");

        // 150 tokens that the search for the old id also matches, listed before it: its facts are on page 2.
        s.AddPlatformFiller(150, "copy of " + old.Id);

        var result = await s.RotateAsync("platform-token");

        Assert.Equal(RotationOutcome.Rotated, result.Outcome);
        var created = s.SandboxAccount.GetPlatformToken(s.CurrentId("platform-token"))!;
        var previous = s.SandboxAccount.GetPlatformToken(old.Id)!;
        Assert.Equal(previous.Scopes, created.Scopes);
        Assert.Equal(previous.Resources, created.Resources);
        Assert.Equal(previous.UserUuid, created.UserUuid);
        Assert.True(created.IsActive);
        await s.AssertInvariantsAsync("platform-token");

        s.Time.Advance(TimeSpan.FromDays(1));
        await s.RunTimersAsync();
        Assert.False(s.SandboxAccount.GetPlatformToken(old.Id)!.IsActive);
        await s.AssertInvariantsAsync("platform-token");
    }

    [Fact]
    public async Task The_primary_management_credential_is_rotated_by_the_secondary_and_the_app_then_acts_as_the_new_primary()
    {
        await using var s = await RotationSandboxScenario.StartAsync();
        _ = await s.Directory.Environments[0].GetAsync(TokenId.Parse(s.Secondary.Id), Ct); // warm the credential cache with the old primary

        var result = await s.RotateAsync(RotationSandboxScenario.PrimarySecret);
        s.Time.Advance(TimeSpan.FromDays(1));
        await s.RunTimersAsync();

        Assert.Equal(RotationOutcome.Rotated, result.Outcome);
        var newPrimary = s.CurrentId(RotationSandboxScenario.PrimarySecret);
        Assert.Equal(s.Secondary.Id, Assert.Single(s.Sandbox.Requests, r => r.Endpoint == SandboxEndpoint.ApiTokensCreate).CallerId);
        var disable = Assert.Single(s.Sandbox.Requests, r => r.Endpoint == SandboxEndpoint.ApiTokensUpdate && r.Path.EndsWith(s.Primary.Id, StringComparison.Ordinal));
        Assert.Equal(s.Secondary.Id, disable.CallerId);
        Assert.Equal(204, disable.StatusCode);
        Assert.False(s.Env.GetToken(s.Primary.Id)!.Enabled);

        // The rotation told the credential cache: the directory's client authenticates as the new primary, no 401 first.
        s.Sandbox.ClearRequests();
        Assert.True((await s.Directory.Environments[0].GetAsync(TokenId.Parse(s.Secondary.Id), Ct)).IsOk);
        var call = Assert.Single(s.Sandbox.Requests);
        Assert.Equal(newPrimary, call.CallerId);
        Assert.Equal(200, call.StatusCode);
        await s.AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_leaked_primary_is_disabled_by_the_kill_switch_and_replaced_in_the_same_call()
    {
        await using var s = await RotationSandboxScenario.StartAsync();

        var result = await s.Kill.DisableAsync(new KillRequest([Leak.FromSecret(TokenSecret.Parse(s.Primary.Secret), "github-alert", "alert-42")]), Ct);

        var outcome = Assert.Single(result.Outcomes);
        Assert.Equal(TokenOutcomeKind.Disabled, outcome.Outcome);
        Assert.False(s.Env.GetToken(s.Primary.Id)!.Enabled);
        Assert.Equal(s.Vault.Latest(RotationSandboxScenario.PrimarySecret)!.Id.ToString(), outcome.ReplacementLocation);
        var newPrimary = s.CurrentId(RotationSandboxScenario.PrimarySecret);
        Assert.NotEqual(s.Primary.Id, newPrimary);
        Assert.Equal(s.Secondary.Id, Assert.Single(s.Sandbox.Requests, r => r.Endpoint == SandboxEndpoint.ApiTokensCreate).CallerId);
        await s.AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_leaked_application_token_is_disabled_first_then_replaced_without_overlap()
    {
        await using var s = await RotationSandboxScenario.StartAsync();
        var old = s.EnrollClassic(Secret, overlap: "3d");

        var result = await s.Kill.DisableAsync(new KillRequest([Leak.FromSecret(TokenSecret.Parse(old.Secret), "gitguardian", "incident-9")]), Ct);

        Assert.Equal(TokenOutcomeKind.Disabled, Assert.Single(result.Outcomes).Outcome);
        var update = s.Sandbox.Requests.First(r => r.Endpoint == SandboxEndpoint.ApiTokensUpdate && r.Path.EndsWith(old.Id, StringComparison.Ordinal));
        var create = s.Sandbox.Requests.First(r => r.Endpoint == SandboxEndpoint.ApiTokensCreate);
        Assert.True(s.Sandbox.Requests.ToList().IndexOf(update) < s.Sandbox.Requests.ToList().IndexOf(create), "disable must come before create");
        Assert.False(s.Env.GetToken(old.Id)!.Enabled);
        Assert.True(s.IsUsable(s.CurrentId(Secret)));
        await s.AssertInvariantsAsync(Secret);
    }

    [Fact]
    public async Task A_leaked_primary_gets_one_disable_PUT_sent_with_the_secondary_and_none_from_its_rotation()
    {
        await using var s = await RotationSandboxScenario.StartAsync();

        var result = await s.Kill.DisableAsync(new KillRequest([Leak.FromSecret(TokenSecret.Parse(s.Primary.Secret), "github-alert", "alert-43")]), Ct);
        s.Time.Advance(TimeSpan.FromDays(1));
        await s.RunTimersAsync();

        Assert.Equal(TokenOutcomeKind.Disabled, Assert.Single(result.Outcomes).Outcome);
        Assert.NotEqual(s.Primary.Id, s.CurrentId(RotationSandboxScenario.PrimarySecret));
        var writes = s.Sandbox.Requests.Where(r => r.Endpoint == SandboxEndpoint.ApiTokensUpdate && r.Path.EndsWith(s.Primary.Id, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(writes, r => r.CallerId == s.Primary.Id); // the engine knows its own secret: no doomed 400 first
        var write = Assert.Single(writes); // the leak rotation records it disabled instead of writing again
        Assert.Equal((s.Secondary.Id, 204), (write.CallerId, write.StatusCode));
        Assert.False(s.Env.GetToken(s.Primary.Id)!.Enabled);
        await s.AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_leaked_application_token_gets_exactly_one_disable_PUT_across_the_kill_switch_and_its_leak_rotation()
    {
        await using var s = await RotationSandboxScenario.StartAsync();
        var old = s.EnrollClassic(Secret, overlap: "3d");

        var result = await s.Kill.DisableAsync(new KillRequest([Leak.FromSecret(TokenSecret.Parse(old.Secret), "gitguardian", "incident-10")]), Ct);
        await s.RunTimersAsync(); // a later pass over the retiring token, as the sweep timer would run, writes nothing either
        var disables = s.Sandbox.Requests.Count(r => r.Endpoint == SandboxEndpoint.ApiTokensUpdate && r.Path.EndsWith(old.Id, StringComparison.Ordinal));

        Assert.Equal(TokenOutcomeKind.Disabled, Assert.Single(result.Outcomes).Outcome);
        Assert.Equal(1, disables);
        Assert.NotNull(Assert.Single((await s.Store.GetAsync(Secret, Ct))!.Retiring).DisabledAt);
        Assert.False(s.Env.GetToken(old.Id)!.Enabled);
        await s.AssertInvariantsAsync(Secret);

        // After a restart (state from Azurite) and the grace period, the token is deleted, still without a second PUT.
        await s.RestartAsync();
        s.Time.Advance(TimeSpan.FromDays(8));
        await s.RunTimersAsync();
        Assert.Null(s.Env.GetToken(old.Id));
        Assert.Equal(1, s.Sandbox.Requests.Count(r => r.Endpoint == SandboxEndpoint.ApiTokensUpdate && r.Path.EndsWith(old.Id, StringComparison.Ordinal)));
        Assert.Equal(1, s.Sandbox.Requests.Count(r => r.Endpoint == SandboxEndpoint.ApiTokensDelete && r.Path.EndsWith(old.Id, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_leaked_platform_token_gets_exactly_one_INACTIVE_PUT_across_the_kill_switch_and_its_leak_rotation()
    {
        await using var s = await RotationSandboxScenario.StartAsync();
        var old = s.EnrollPlatform("platform-token", overlap: "1d");

        var result = await s.Kill.DisableAsync(new KillRequest([Leak.FromSecret(TokenSecret.Parse(old.Secret), "github-alert", "alert-44")]), Ct);
        s.Time.Advance(TimeSpan.FromDays(1));
        await s.RunTimersAsync();

        Assert.Equal(TokenOutcomeKind.Disabled, Assert.Single(result.Outcomes).Outcome);
        Assert.NotEqual(old.Id, s.CurrentId("platform-token"));
        Assert.Single(s.Sandbox.Requests, r => r.Endpoint == SandboxEndpoint.PlatformTokensStatus && r.Path.Contains(old.Id, StringComparison.Ordinal));
        Assert.False(s.SandboxAccount.GetPlatformToken(old.Id)!.IsActive);
        await s.AssertInvariantsAsync("platform-token");
    }

    [Fact]
    public async Task A_replaced_token_leaking_in_its_overlap_gets_one_disable_PUT_from_the_kill_switch_and_none_from_the_retirement()
    {
        await using var s = await RotationSandboxScenario.StartAsync();
        var old = s.EnrollClassic(Secret, overlap: "3d");
        Assert.Equal(RotationOutcome.Rotated, (await s.RotateAsync(Secret)).Outcome);

        var result = await s.Kill.DisableAsync(new KillRequest([Leak.FromSecret(TokenSecret.Parse(old.Secret), "gitguardian", "incident-11")]), Ct);
        s.Time.Advance(TimeSpan.FromDays(3));
        await s.RunTimersAsync();

        Assert.Equal(TokenOutcomeKind.Disabled, Assert.Single(result.Outcomes).Outcome);
        Assert.Single(s.Sandbox.Requests, r => r.Endpoint == SandboxEndpoint.ApiTokensUpdate && r.Path.EndsWith(old.Id, StringComparison.Ordinal));
        Assert.False(s.Env.GetToken(old.Id)!.Enabled);
        await s.AssertInvariantsAsync(Secret);
    }

    [Fact]
    public async Task When_Key_Vault_refuses_the_new_version_the_token_created_in_Dynatrace_is_disabled_and_deleted()
    {
        await using var s = await RotationSandboxScenario.StartAsync();
        var old = s.EnrollClassic(Secret);
        s.Vault.OnSet = secret => secret.Name == Secret ? InMemoryKeyVault.Failure(403, "Forbidden") : null;

        var result = await s.RotateAsync(Secret);

        Assert.Equal(RotationOutcome.Failed, result.Outcome);
        Assert.Equal(1, s.Env.CallCount(SandboxEndpoint.ApiTokensCreate));
        Assert.Equal(1, s.Env.CallCount(SandboxEndpoint.ApiTokensDelete));
        Assert.DoesNotContain(s.Env.Tokens, t => t.Name.Contains("[tf:", StringComparison.Ordinal));
        Assert.Equal(old.Id, s.CurrentId(Secret));
        await s.AssertInvariantsAsync(Secret);
    }

    public static TheoryData<RotationCheckpoint> Checkpoints() => new(
        RotationCheckpoint.AfterWriteAhead, RotationCheckpoint.AfterCreate, RotationCheckpoint.AfterKeyVaultWrite, RotationCheckpoint.AfterStoredSaved,
        RotationCheckpoint.AfterVerify, RotationCheckpoint.AfterVerifiedSaved, RotationCheckpoint.AfterPromote);

    [Theory]
    [MemberData(nameof(Checkpoints))]
    public async Task A_rotation_killed_after_any_step_is_finished_by_the_next_timer_run_in_a_new_process(RotationCheckpoint checkpoint)
    {
        await using var s = await RotationSandboxScenario.StartAsync();
        var old = s.EnrollClassic(Secret, overlap: "2d");
        s.Checkpoints.CrashAt = checkpoint;

        await Assert.ThrowsAsync<SimulatedCrashException>(() => s.RotateAsync(Secret, expected: old.Id));

        s.Checkpoints.CrashAt = null;
        s.Time.Advance(TimeSpan.FromMinutes(11));
        await s.RestartAsync();
        await s.RunTimersAsync();

        await s.AssertInvariantsAsync(Secret);
        Assert.NotEqual(old.Id, s.CurrentId(Secret));
        Assert.Single(s.UsableTokens(), t => t.Name.StartsWith(Secret + " [tf:", StringComparison.Ordinal));
        Assert.Null((await s.Store.GetAsync(Secret, Ct))!.Active);
        s.Time.Advance(TimeSpan.FromDays(2));
        await s.RunTimersAsync();
        Assert.False(s.Env.GetToken(old.Id)!.Enabled);
        await s.AssertInvariantsAsync(Secret);
    }

    [Fact]
    public async Task The_timer_and_a_leak_racing_for_one_credential_rotate_it_exactly_once()
    {
        await using var s = await RotationSandboxScenario.StartAsync();
        var old = s.EnrollClassic(Secret, period: "1d", overlap: "1h");
        s.Time.Advance(TimeSpan.FromDays(1));
        s.Env.SetEnabled(old.Id, false); // the kill-switch's disable

        var timer = Task.Run(() => s.RunTimersAsync(), Ct);
        var leaks = Enumerable.Range(0, 4).Select(i => Task.Run(() =>
            s.LeakRotation.ReplaceLeakedAsync(new TokenOutcome { TokenId = TokenId.Parse(old.Id), Outcome = TokenOutcomeKind.Disabled }, $"incident-{i}", Ct), Ct)).ToList();
        await timer;
        var replacements = await Task.WhenAll(leaks);

        Assert.Equal(1, s.Env.CallCount(SandboxEndpoint.ApiTokensCreate));
        Assert.All(replacements, r => Assert.StartsWith($"{InMemoryKeyVault.VaultUri}secrets/{Secret}", r?.Location, StringComparison.Ordinal));
        await s.AssertInvariantsAsync(Secret);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task Orphans_left_by_a_lost_secret_are_found_and_killed_over_HTTP(int pageBase)
    {
        await using var s = await RotationSandboxScenario.StartAsync(pageBase);
        s.EnrollClassic(Secret);

        // The orphan search matches these too, and they are listed first: the platform orphan is on page 3.
        s.AddPlatformFiller(230, "left alone, tf:tokenfunctions: but no rotation id");
        var orphan = s.Env.AddToken(new SandboxApiTokenSeed { Name = $"{Secret} [tf:tokenfunctions:0123456789abcdef0123456789abcdef]", Scopes = ["metrics.ingest"] });
        var platformOrphan = s.SandboxAccount.AddPlatformToken(new SandboxPlatformTokenSeed { Name = "automation [tf:tokenfunctions:0123456789abcdef0123456789abcdef]", Scopes = ["a"] });
        var foreign = s.Env.AddToken(new SandboxApiTokenSeed { Name = $"{Secret} [tf:staging:0123456789abcdef0123456789abcdef]", Scopes = ["a"] });

        await s.RunTimersAsync();

        Assert.Null(s.Env.GetToken(orphan.Id));
        Assert.Null(s.SandboxAccount.GetPlatformToken(platformOrphan.Id));
        Assert.True(s.Env.GetToken(foreign.Id)!.Enabled);
    }

    [Fact]
    public async Task No_token_secret_reaches_a_log_line_or_an_audit_record()
    {
        await using var s = await RotationSandboxScenario.StartAsync();
        var old = s.EnrollClassic(Secret);
        s.EnrollPlatform("platform-token");
        await s.RotateAsync(Secret);
        await s.RotateAsync("platform-token", RotationTrigger.Leak);
        await s.RotateAsync(RotationSandboxScenario.PrimarySecret);
        s.Time.Advance(TimeSpan.FromDays(10));
        await s.RunTimersAsync();

        var secrets = s.Vault.AllVersions().Select(v => v.Value).Append(old.Secret).Distinct().ToList();
        var text = s.Logs.All + "\n" + string.Join("\n", s.Audit.AllText());
        Assert.True(secrets.Count >= 6);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret[(secret.LastIndexOf('.') + 1)..], text, StringComparison.Ordinal);
        }
    }
}
