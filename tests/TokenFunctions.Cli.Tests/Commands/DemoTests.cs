using System.Diagnostics;
using System.Text.RegularExpressions;
using TokenFunctions.Cli.Tests.Support;

namespace TokenFunctions.Cli.Tests.Commands;

public sealed partial class DemoTests
{
    [Fact]
    public async Task Demo_in_process_disables_the_planted_token_and_prints_its_audit_trail()
    {
        var state = Directory.CreateTempSubdirectory("tokenfunctions-demo-test-").FullName;
        try
        {
            var result = await CliRunner.RunAsync(null, ["demo", "--state-dir", state, "-o", "json"], stdin: null);

            Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
            var json = result.Json();
            Assert.True(json.GetProperty("confirmedDisabled").GetBoolean());
            var outcome = Assert.Single(json.GetProperty("scan").GetProperty("kill").GetProperty("outcomes").EnumerateArray());
            Assert.Equal("Disabled", outcome.GetProperty("outcome").GetString());
            Assert.Equal("prod", outcome.GetProperty("owner").GetString());
            // The disable, then the evidence of use gathered after it (off the kill path).
            var records = json.GetProperty("audit").GetProperty("records").EnumerateArray().ToList();
            Assert.Equal(["evidence", "disable"], records.Select(r => r.GetProperty("action").GetString()));
            Assert.All(records, r => Assert.Equal(json.GetProperty("leakedTokenId").GetString(), r.GetProperty("tokenId").GetString()));
            Assert.False(File.Exists(json.GetProperty("plantedIn").GetString()));
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    /// <summary>
    /// The README's two newcomer commands as a user runs them (<c>--no-build</c> only because this test's build already
    /// built the project and a nested build would race it), in separate processes sharing the state folder.
    /// </summary>
    [Fact]
    public async Task The_readme_demo_command_line_then_audit_with_sandbox_reads_the_same_trail()
    {
        var state = Directory.CreateTempSubdirectory("tokenfunctions-demo-process-").FullName;
        try
        {
            var demo = await RunProcessAsync(state, "demo");
            var tokenId = TokenIdPattern().Match(demo.Out).Value;
            var audit = await RunProcessAsync(state, "audit", "--sandbox", "--since", "1h");

            Assert.True(demo.ExitCode == 0, demo.ToString());
            Assert.Contains("Disabled", demo.Out, StringComparison.Ordinal);
            Assert.Contains("The sandbox confirms", demo.Out, StringComparison.Ordinal);
            Assert.Contains("embedded store", demo.Error, StringComparison.Ordinal);
            Assert.NotEmpty(tokenId);
            Assert.True(audit.ExitCode == 0, audit.ToString());
            Assert.Contains(tokenId, audit.Out, StringComparison.Ordinal);
            CliRunner.AssertNoSecret(demo.Out + demo.Error + audit.Out + audit.Error, []);
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    private static async Task<CliResult> RunProcessAsync(string state, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = RepositoryRoot(), RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["run", "--project", "src/TokenFunctions.Cli", "--no-build", "--", .. args])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["TOKENFUNCTIONS_STATE_DIR"] = state;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return new CliResult(process.ExitCode, await output, await error);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "TokenFunctions.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("TokenFunctions.sln not found above the test folder.");
    }

    [GeneratedRegex(@"dt0c01\.[A-Z0-9]{24}")]
    private static partial Regex TokenIdPattern();
}
