using TokenFunctions.Cli.Tests.Support;

namespace TokenFunctions.Cli.Tests.Commands;

[Collection(SandboxCollection.Name)]
public sealed class EnableAndAuditTests(SandboxFixture sandbox)
{
    [Fact]
    public async Task Enable_undoes_a_kill_and_both_decisions_are_in_the_audit_trail()
    {
        var leaked = sandbox.Leak("dev");
        var state = sandbox.NewStateDirectory();
        var kill = await CliRunner.RunAsync(sandbox, sandbox.Args(state, "kill", leaked.Secret, "--incident", "INC-FP-1"));
        Assert.False(sandbox.IsEnabled("dev", leaked.Id));

        var enable = await CliRunner.RunAsync(sandbox, sandbox.Args(state, "enable", leaked.Id, "--reason", "test fixture", "--incident", "INC-FP-1"));
        var audit = await CliRunner.RunAsync(sandbox, sandbox.Args(state, "audit", "--token", leaked.Id, "-o", "json"));

        Assert.Equal(ExitCodes.Ok, kill.ExitCode);
        Assert.True(enable.ExitCode == ExitCodes.Ok, enable.ToString());
        Assert.True(sandbox.IsEnabled("dev", leaked.Id));
        var records = audit.Json().GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(["enable", "evidence", "disable"], records.Select(r => r.GetProperty("action").GetString()));
        Assert.All(records, r => Assert.Equal("dev", r.GetProperty("owner").GetString()));
        Assert.Contains("test fixture", records[0].GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_by_incident_and_by_time_reads_the_embedded_store_across_runs()
    {
        var leaked = sandbox.Leak("prod");
        var state = sandbox.NewStateDirectory();
        var incident = "INC-AUDIT-" + Guid.NewGuid().ToString("N")[..6];
        await CliRunner.RunAsync(sandbox, sandbox.Args(state, "kill", leaked.Secret, "--incident", incident));

        var byIncident = await CliRunner.RunAsync(sandbox, sandbox.Args(state, "audit", "--incident", incident, "-o", "json"));
        var bySince = await CliRunner.RunAsync(sandbox, sandbox.Args(state, "audit", "--since", "1h"));
        var elsewhere = await CliRunner.RunAsync(sandbox, sandbox.Args(sandbox.NewStateDirectory(), "audit", "--since", "1h", "-o", "json"));

        var record = Assert.Single(byIncident.Json().GetProperty("records").EnumerateArray(), r => r.GetProperty("action").GetString() == "disable");
        Assert.Equal(leaked.Id, record.GetProperty("tokenId").GetString());
        Assert.Equal("Disabled", record.GetProperty("outcome").GetString());
        Assert.Contains(leaked.Id, bySince.Out, StringComparison.Ordinal);
        Assert.Equal(0, elsewhere.Json().GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Enable_with_dry_run_decides_without_enabling()
    {
        var leaked = sandbox.Leak("dev");
        var state = sandbox.NewStateDirectory();
        await CliRunner.RunAsync(sandbox, sandbox.Args(state, "kill", leaked.Secret));

        var result = await CliRunner.RunAsync(sandbox, sandbox.Args(state, "enable", leaked.Id, "--dry-run", "-o", "json"));

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal("WouldEnable", Assert.Single(result.Json().GetProperty("outcomes").EnumerateArray()).GetProperty("outcome").GetString());
        Assert.False(sandbox.IsEnabled("dev", leaked.Id));
    }

    [Fact]
    public async Task Audit_without_a_filter_names_the_options_that_exist()
    {
        var result = await CliRunner.RunAsync(sandbox, sandbox.Args(sandbox.NewStateDirectory(), "audit"));

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal("error: say what to read: --token ID, --incident ID or --since DURATION (e.g. --since 1h); --limit N caps the records.\n", result.Error);
    }

    [Theory]
    [InlineData("audit")]
    [InlineData("audit", "--since", "soon")]
    [InlineData("audit", "--token", "nope")]
    [InlineData("enable", "nope")]
    public async Task Malformed_requests_are_usage_errors(params string[] args)
    {
        var result = await CliRunner.RunAsync(sandbox, sandbox.Args(sandbox.NewStateDirectory(), args));

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
    }
}
