using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.IntegrationTests.Kill;

/// <summary>Every outcome, produced by the real HTTP clients against the loopback sandbox.</summary>
public sealed class KillSandboxOutcomeTests
{
    [Theory]
    [InlineData(DisableApi.V2, SandboxEndpoint.ApiTokensUpdate)]
    [InlineData(DisableApi.V1, SandboxEndpoint.V1TokensUpdate)]
    public async Task Disabled_through_either_API_with_the_blast_radius_audited(DisableApi api, SandboxEndpoint endpoint)
    {
        await using var s = await KillScenario.StartAsync(disableApi: _ => api);
        var token = s.Env(1).AddToken(new SandboxApiTokenSeed
        {
            Name = "ci-deploy",
            Owner = "ci@example.com",
            Scopes = ["metrics.ingest", "logs.ingest"],
            LastUsedDate = new DateTimeOffset(2026, 11, 22, 7, 0, 0, TimeSpan.Zero),
            LastUsedIpAddress = "192.0.2.10",
        });

        var outcome = Assert.Single((await s.DisableAsync(KillScenario.LeakOf(token))).Outcomes);

        Assert.Equal(TokenOutcomeKind.Disabled, outcome.Outcome);
        Assert.False(s.Env(1).GetToken(token.Id)!.Enabled);
        Assert.Equal(1, s.Env(1).CallCount(endpoint));
        var radius = Assert.Single(s.Audit.Records).BlastRadius!;
        Assert.Equal(("ci@example.com", "192.0.2.10", "ci-deploy"), (radius.TokenOwner, radius.LastUsedIpAddress, radius.Name));
        Assert.Equal(["metrics.ingest", "logs.ingest"], radius.Scopes);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 7, 0, 0, TimeSpan.Zero), radius.LastUsedDate);
    }

    [Fact]
    public async Task AlreadyDisabled_without_a_write()
    {
        await using var s = await KillScenario.StartAsync();
        var token = s.Env(1).AddToken(new SandboxApiTokenSeed { Enabled = false });

        Assert.Equal(TokenOutcomeKind.AlreadyDisabled, Assert.Single((await s.DisableAsync(KillScenario.LeakOf(token))).Outcomes).Outcome);
        Assert.Equal(0, s.Env(1).CallCount(SandboxEndpoint.ApiTokensUpdate));
    }

    [Fact]
    public async Task WouldDisable_in_a_dry_run_calls_no_write_endpoint()
    {
        await using var s = await KillScenario.StartAsync(account: true, configure: c => c.Set("KillSwitch:DryRun", "true"));
        var token = s.Env(1).AddToken();
        var platform = s.Account!.AddPlatformToken();

        var result = await s.DisableAsync(KillScenario.LeakOf(token), KillScenario.LeakOf(platform));

        Assert.All(result.Outcomes, o => Assert.Equal(TokenOutcomeKind.WouldDisable, o.Outcome));
        Assert.Equal(0, s.Env(1).CallCount(SandboxEndpoint.ApiTokensUpdate));
        Assert.Equal(0, s.Account.CallCount(SandboxEndpoint.PlatformTokensStatus));
        Assert.True(s.Env(1).GetToken(token.Id)!.Enabled);
        Assert.True(s.Account.GetPlatformToken(platform.Id)!.IsActive);
    }

    [Fact]
    public async Task NotFound_when_every_environment_answers_404()
    {
        await using var s = await KillScenario.StartAsync(environments: 3);
        var elsewhere = new SandboxIssuedToken("dt0c01.AAAAAAAAAAAAAAAAAAAAAAAA", "dt0c01.AAAAAAAAAAAAAAAAAAAAAAAA." + new string('B', 64));

        var outcome = Assert.Single((await s.DisableAsync(KillScenario.LeakOf(elsewhere))).Outcomes);

        Assert.Equal(TokenOutcomeKind.NotFound, outcome.Outcome);
        Assert.All(s.Environments, e => Assert.Equal(1, e.Environment.CallCount(SandboxEndpoint.ApiTokensLookup)));
    }

    [Fact]
    public async Task Unsupported_OAuth_client_secrets_call_nothing()
    {
        await using var s = await KillScenario.StartAsync(account: true);
        var oauth = TokenSecret.Parse("dt0s02.ABCDEFGH." + new string('C', 64));

        var outcome = Assert.Single((await s.DisableAsync(Leak.FromSecret(oauth, "github-alert", "c"))).Outcomes);

        Assert.Equal(TokenOutcomeKind.Unsupported, outcome.Outcome);
        Assert.Equal(0, s.Env(1).TotalCalls);
        Assert.Equal(0, s.Sandbox.SsoCallCount);
    }

    [Fact]
    public async Task The_apps_own_credential_is_Protected_and_never_written()
    {
        await using var s = await KillScenario.StartAsync();
        var own = s.Environments[0].Credential;

        var outcome = Assert.Single((await s.DisableAsync(KillScenario.LeakOf(own))).Outcomes);

        Assert.Equal(TokenOutcomeKind.Protected, outcome.Outcome);
        Assert.Equal("env1", outcome.Owner);
        Assert.Equal(0, s.Env(1).CallCount(SandboxEndpoint.ApiTokensUpdate));
        Assert.True(s.Env(1).GetToken(own.Id)!.Enabled);
    }

    [Fact]
    public async Task CannotDisableOwnCredential_when_protection_is_off_and_no_secondary_is_configured()
    {
        await using var s = await KillScenario.StartAsync(configure: c => c.Set("KillSwitch:ProtectOwnCredentials", "false"));
        var own = s.Environments[0].Credential;

        var outcome = Assert.Single((await s.DisableAsync(KillScenario.LeakOf(own))).Outcomes);

        Assert.Equal(TokenOutcomeKind.CannotDisableOwnCredential, outcome.Outcome);
        Assert.True(s.Env(1).GetToken(own.Id)!.Enabled);
    }

    [Fact]
    public async Task Denied_when_the_environment_refuses_our_credential()
    {
        await using var s = await KillScenario.StartAsync(environments: 2);
        s.Env(1).Faults.SetPersistent(SandboxFault.Status(401));
        var token = s.Env(2).AddToken();
        s.Env(2).Faults.SetPersistent(SandboxFault.Status(403), SandboxEndpoint.ApiTokensUpdate);

        var unknown = new SandboxIssuedToken("dt0c01.DDDDDDDDDDDDDDDDDDDDDDDD", "dt0c01.DDDDDDDDDDDDDDDDDDDDDDDD." + new string('E', 64));
        var result = await s.DisableAsync(KillScenario.LeakOf(unknown), KillScenario.LeakOf(token));

        Assert.Equal([TokenOutcomeKind.Denied, TokenOutcomeKind.Denied], result.Outcomes.Select(o => o.Outcome));
        Assert.Contains("env1", result.Outcomes[0].Detail, StringComparison.Ordinal);
        Assert.Equal("env2", result.Outcomes[1].Owner);
    }

    [Fact]
    public async Task Failed_and_retryable_when_an_environment_stays_unavailable()
    {
        await using var s = await KillScenario.StartAsync(environments: 2);
        s.Env(2).Faults.SetPersistent(SandboxFault.Status(503));

        var unknown = new SandboxIssuedToken("dt0c01.FFFFFFFFFFFFFFFFFFFFFFFF", "dt0c01.FFFFFFFFFFFFFFFFFFFFFFFF." + new string('G', 64));
        var outcome = Assert.Single((await s.DisableAsync(KillScenario.LeakOf(unknown))).Outcomes);

        Assert.Equal(TokenOutcomeKind.Failed, outcome.Outcome);
        Assert.True(outcome.IsRetryable);
        Assert.True(s.Env(2).CallCount(SandboxEndpoint.ApiTokensLookup) > 1); // the client retried before giving up
    }

    [Fact]
    public async Task A_platform_token_is_set_INACTIVE_through_the_account_API()
    {
        await using var s = await KillScenario.StartAsync(account: true);
        var platform = s.Account!.AddPlatformToken(new SandboxPlatformTokenSeed { Name = "grail-reader", Scopes = ["storage:logs:read"] });
        var inactive = s.Account.AddPlatformToken(new SandboxPlatformTokenSeed { Active = false });

        var result = await s.DisableAsync(KillScenario.LeakOf(platform), KillScenario.LeakOf(inactive));

        // The status PUT is idempotent and says nothing about the previous status: both are written, neither is listed.
        Assert.Equal([TokenOutcomeKind.Disabled, TokenOutcomeKind.Disabled], result.Outcomes.Select(o => o.Outcome));
        Assert.Equal("acct", result.Outcomes[0].Owner);
        Assert.False(s.Account.GetPlatformToken(platform.Id)!.IsActive);
        Assert.False(s.Account.GetPlatformToken(inactive.Id)!.IsActive);
        Assert.Equal(2, s.Account.CallCount(SandboxEndpoint.PlatformTokensStatus));
        Assert.Equal(0, s.Account.CallCount(SandboxEndpoint.PlatformTokensList));
        Assert.Equal(0, s.Env(1).TotalCalls);
    }

    [Fact]
    public async Task Enable_undoes_a_false_positive_over_HTTP()
    {
        await using var s = await KillScenario.StartAsync(environments: 2, account: true);
        var token = s.Env(2).AddToken(new SandboxApiTokenSeed { Enabled = false });
        var platform = s.Account!.AddPlatformToken(new SandboxPlatformTokenSeed { Active = false });

        var classic = await s.Kill.EnableAsync(TokenId.Parse(token.Id), null, "inc-1", "alice", "false positive", KillScenario.Ct);
        var account = await s.Kill.EnableAsync(TokenId.Parse(platform.Id), "acct", "inc-1", "alice", "false positive", KillScenario.Ct);

        Assert.Equal((TokenOutcomeKind.Enabled, "env2"), (classic.Outcome, classic.Owner));
        Assert.Equal(TokenOutcomeKind.Enabled, account.Outcome);
        Assert.True(s.Env(2).GetToken(token.Id)!.Enabled);
        Assert.True(s.Account.GetPlatformToken(platform.Id)!.IsActive);
        Assert.All(s.Audit.Records, r => Assert.Equal(("enable", "alice"), (r.Action, r.RequestedBy)));
    }

    [Fact]
    public async Task No_secret_reaches_any_log_of_a_full_run_over_HTTP()
    {
        await using var s = await KillScenario.StartAsync(environments: 3, account: true);
        var disabled = s.Env(1).AddToken();
        var failing = s.Env(2).AddToken();
        s.Env(2).Faults.SetPersistent(SandboxFault.Status(500), SandboxEndpoint.ApiTokensUpdate);
        s.Env(3).Faults.Enqueue(SandboxFault.Status(503), times: 3);
        var platform = s.Account!.AddPlatformToken();
        var own = s.Environments[2].Credential;
        SandboxIssuedToken[] all = [disabled, failing, platform, own];

        var result = await s.DisableAsync([.. all.Select(t => KillScenario.LeakOf(t))]);

        Assert.Equal(
            [TokenOutcomeKind.Disabled, TokenOutcomeKind.Failed, TokenOutcomeKind.Disabled, TokenOutcomeKind.Protected],
            result.Outcomes.Select(o => o.Outcome));
        var text = s.Logs.All + string.Join('\n', s.Audit.Records) + string.Join('\n', result.Outcomes);
        Assert.Contains(disabled.Id, text, StringComparison.Ordinal);
        foreach (var token in all.Append(s.Environments[0].Credential).Append(s.Environments[1].Credential))
        {
            Assert.DoesNotContain(token.Secret[(token.Id.Length + 1)..], text, StringComparison.OrdinalIgnoreCase);
        }
    }
}
