using TokenFunctions.Cli.Tests.Support;

namespace TokenFunctions.Cli.Tests.Commands;

/// <summary>With Table Storage configured (Azurite here), the CLI uses it instead of the embedded store. Runs when TOKENFUNCTIONS_AZURITE is set.</summary>
[Collection(SandboxCollection.Name)]
public sealed class AzuriteTests(SandboxFixture sandbox)
{
    [Fact]
    public async Task Kill_kill_switch_and_audit_use_table_storage_when_it_is_configured()
    {
        if (Environment.GetEnvironmentVariable("TOKENFUNCTIONS_AZURITE") is not { Length: > 0 } azurite)
        {
            Assert.Skip("TOKENFUNCTIONS_AZURITE is not set (.ci/run starts Azurite and sets it).");
            return;
        }

        var suffix = Guid.NewGuid().ToString("N")[..10];
        var config = sandbox.WriteConfig($"azurite-{suffix}.json", new Dictionary<string, string?>
        {
            ["Audit:ConnectionString"] = azurite,
            ["Audit:TableName"] = "cliaudit" + suffix,
            ["Incidents:Storage:ConnectionString"] = azurite,
            ["Incidents:Storage:LedgerTable"] = "clildg" + suffix,
            ["Incidents:Storage:ProgressTable"] = "cliprg" + suffix,
        });
        var state = sandbox.NewStateDirectory();
        var leaked = sandbox.Leak("dev");
        var owner = $"gina-{suffix}@example.com";
        var selected = sandbox.Leak("prod", owner);

        var kill = await CliRunner.RunAsync(sandbox, ["kill", leaked.Secret, "--config", config, "--state-dir", state]);
        var killSwitch = await CliRunner.RunAsync(sandbox, ["kill-switch", "--owner", owner, "--yes", "--config", config, "--state-dir", state]);
        var audit = await CliRunner.RunAsync(sandbox, ["audit", "--since", "1h", "-o", "json", "--config", config, "--state-dir", state]);

        Assert.True(kill.ExitCode == ExitCodes.Ok, kill.ToString());
        Assert.True(killSwitch.ExitCode == ExitCodes.Ok, killSwitch.ToString());
        Assert.DoesNotContain("embedded store", kill.Error + killSwitch.Error + audit.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(state));
        var ids = audit.Json().GetProperty("records").EnumerateArray().Select(r => r.GetProperty("tokenId").GetString()).ToList();
        Assert.Contains(leaked.Id, ids);
        Assert.Contains(selected.Id, ids);
    }
}
