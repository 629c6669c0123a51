using TokenFunctions.Cli.Tests.Support;

namespace TokenFunctions.Cli.Tests.Commands;

[Collection(SandboxCollection.Name)]
public sealed class StatusAndRotateTests(SandboxFixture sandbox)
{
    [Fact]
    public async Task Status_is_0_when_every_environment_and_account_is_ready()
    {
        var result = await CliRunner.RunAsync(sandbox, sandbox.Args(sandbox.NewStateDirectory(), "status", "-o", "json"));

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var targets = result.Json().GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("target").GetString()).ToList();
        Assert.Equal(["environment:prod", "environment:dev", "account:main", "audit store"], targets);

        // The account row says which reading of the docs the service met: the scope family held, id form and paging.
        var account = result.Json().GetProperty("targets").EnumerateArray().Single(t => t.GetProperty("target").GetString() == "account:main");
        var detail = account.GetProperty("detail").GetString();
        Assert.Contains("readings met: scopes account-idm", detail, StringComparison.Ordinal);
        Assert.Contains("paging page/size from 0", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_with_a_bad_credential_names_the_environment_and_exits_1()
    {
        var config = sandbox.WriteConfig("bad-credential.json", new Dictionary<string, string?> { ["Dynatrace:Environments:1:Credential"] = sandbox.UnknownToken() });

        var result = await CliRunner.RunAsync(sandbox, ["status", "--config", config, "--state-dir", sandbox.NewStateDirectory(), "-o", "json"]);

        Assert.True(result.ExitCode == ExitCodes.Authentication, result.ToString());
        var rows = result.Json().GetProperty("targets").EnumerateArray().ToDictionary(t => t.GetProperty("target").GetString()!);
        Assert.False(rows["environment:dev"].GetProperty("credentialValid").GetBoolean());
        Assert.True(rows["environment:prod"].GetProperty("credentialValid").GetBoolean());
    }

    [Fact]
    public async Task Status_with_a_wrong_oauth_secret_reports_the_account()
    {
        var config = sandbox.WriteConfig("bad-oauth.json", new Dictionary<string, string?> { ["Dynatrace:Accounts:0:ClientSecret"] = "not-the-secret" });

        var result = await CliRunner.RunAsync(sandbox, ["status", "--config", config, "--state-dir", sandbox.NewStateDirectory()]);

        Assert.Equal(ExitCodes.Authentication, result.ExitCode);
        Assert.Contains("account:main", result.Out, StringComparison.Ordinal);
        Assert.Contains("INVALID", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_names_a_scope_the_oauth_client_was_not_granted()
    {
        var config = sandbox.WriteConfig("extra-scope.json", new Dictionary<string, string?> { ["Dynatrace:Accounts:0:Scopes"] = "account-idm-read account-idm-write account-env-write" });

        var result = await CliRunner.RunAsync(sandbox, ["status", "--config", config, "--state-dir", sandbox.NewStateDirectory(), "-o", "json"]);

        Assert.True(result.ExitCode == ExitCodes.Permission, result.ToString());
        var account = result.Json().GetProperty("targets").EnumerateArray().Single(t => t.GetProperty("target").GetString() == "account:main");
        Assert.False(account.GetProperty("scopesSufficient").GetBoolean());
        Assert.Contains("account-env-write", account.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("Dynatrace:Accounts:N:Scopes", account.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotate_without_a_key_vault_is_a_configuration_error()
    {
        var result = await CliRunner.RunAsync(sandbox, sandbox.Args(sandbox.NewStateDirectory(), "rotate", "dt-prod-ingest"));

        Assert.True(result.ExitCode == ExitCodes.Configuration, result.ToString());
        Assert.Contains("KeyVault:VaultUri", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotate_against_the_sandbox_key_vault_replaces_the_managed_credential_and_dry_run_changes_nothing()
    {
        var state = sandbox.NewStateDirectory();

        var dry = await CliRunner.RunAsync(sandbox, ["rotate", "dt-prod-ingest", "--sandbox", "--dry-run", "--state-dir", state, "-o", "json"]);
        var rotated = await CliRunner.RunAsync(sandbox, ["rotate", "dt-prod-ingest", "--sandbox", "--state-dir", state, "-o", "json"]);
        var missing = await CliRunner.RunAsync(sandbox, ["rotate", "no-such-secret", "--sandbox", "--dry-run", "--state-dir", state]);

        Assert.True(dry.ExitCode == ExitCodes.Ok, dry.ToString());
        Assert.Equal("WouldRotate", dry.Json().GetProperty("outcome").GetString());
        Assert.Contains("nothing was changed", dry.Json().GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(rotated.ExitCode == ExitCodes.Ok, rotated.ToString());
        var json = rotated.Json();
        Assert.Equal("Rotated", json.GetProperty("outcome").GetString());
        Assert.NotEqual(json.GetProperty("oldTokenId").GetString(), json.GetProperty("newTokenId").GetString());
        Assert.Equal(ExitCodes.NotFound, missing.ExitCode);
        Assert.Contains("no managed credential named no-such-secret", missing.Error, StringComparison.Ordinal);
    }
}
