using TokenFunctions.Cli.Tests.Support;

namespace TokenFunctions.Cli.Tests.Commands;

public sealed class HelpAndUsageTests
{
    [Theory]
    [InlineData("kill")]
    [InlineData("scan")]
    [InlineData("kill-switch")]
    [InlineData("enable")]
    [InlineData("rotate")]
    [InlineData("audit")]
    [InlineData("status")]
    [InlineData("sandbox")]
    [InlineData("demo")]
    public async Task Every_verb_has_help_with_an_example_and_the_global_options(string verb)
    {
        var result = await CliRunner.RunAsync(null, [verb, "--help"], stdin: null);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains($"Usage:\n  tokenfunctions {verb} ", result.Out, StringComparison.Ordinal);
        Assert.Contains("Example", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("TokenFunctions.Cli", result.Out, StringComparison.Ordinal);
        Assert.Contains("--output", result.Out, StringComparison.Ordinal);
        Assert.Contains("--sandbox", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_root_help_lists_every_command_and_the_exit_codes()
    {
        var result = await CliRunner.RunAsync(null, ["--help"], stdin: null);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        foreach (var verb in new[] { "kill", "scan", "kill-switch", "enable", "rotate", "audit", "status", "sandbox", "demo" })
        {
            Assert.Contains(verb, result.Out, StringComparison.Ordinal);
        }

        Assert.Contains("Exit codes", result.Out, StringComparison.Ordinal);
        Assert.Contains("Usage:\n  tokenfunctions [command] [options]", result.Out, StringComparison.Ordinal);

        // From a clone (this test's build output is inside one), the first-run hint is the command that works there.
        Assert.Contains("First run (no Azure, no Dynatrace needed):\n    dotnet run --project src/TokenFunctions.Cli -- demo", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_copy_outside_a_clone_speaks_as_the_installed_tool()
    {
        var copy = Directory.CreateTempSubdirectory("tokenfunctions-installed-").FullName;
        try
        {
            foreach (var file in Directory.EnumerateFiles(AppContext.BaseDirectory))
            {
                File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
            }

            var help = await CliProcess.RunFromAsync(copy, copy, null, "--help");
            var typo = await CliProcess.RunFromAsync(copy, copy, null, "stauts");

            Assert.Equal(ExitCodes.Ok, help.ExitCode);
            Assert.Contains("Usage:\n  tokenfunctions [command] [options]", help.Out, StringComparison.Ordinal);
            Assert.Contains("First run (no Azure, no Dynatrace needed):\n    tokenfunctions demo\n", help.Out, StringComparison.Ordinal);
            Assert.DoesNotContain("dotnet run", help.Out, StringComparison.Ordinal);
            Assert.Equal(ExitCodes.Usage, typo.ExitCode);
            Assert.Contains("Did you mean one of the following?\nstatus\n", typo.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("scan", "--no-such-option", ".")]
    [InlineData("audit", "--output", "xml", "--since", "1h")]
    [InlineData]
    public async Task Unknown_commands_options_and_values_exit_2(params string[] args)
    {
        var result = await CliRunner.RunAsync(null, args, stdin: null);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("--help", result.Error, StringComparison.Ordinal);
    }
}
