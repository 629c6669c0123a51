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
        Assert.Contains("Example", result.Out, StringComparison.Ordinal);
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
