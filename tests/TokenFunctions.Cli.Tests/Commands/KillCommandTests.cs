using TokenFunctions.Cli.Console;
using TokenFunctions.Cli.Tests.Support;

namespace TokenFunctions.Cli.Tests.Commands;

[Collection(SandboxCollection.Name)]
public sealed class KillCommandTests(SandboxFixture sandbox)
{
    [Fact]
    public async Task A_leaked_token_given_as_an_argument_is_disabled_in_its_environment()
    {
        var leaked = sandbox.Leak("dev");

        var result = await CliRunner.RunAsync(sandbox, sandbox.Args(sandbox.NewStateDirectory(), "kill", leaked.Secret, "--reason", "pasted in chat", "--incident", "INC-KILL-1"));

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.False(sandbox.IsEnabled("dev", leaked.Id));
        Assert.Contains(leaked.Id, result.Out, StringComparison.Ordinal);
        Assert.Contains("Disabled", result.Out, StringComparison.Ordinal);
        Assert.Contains("embedded store", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ids_from_stdin_in_a_dry_run_would_be_disabled_and_stay_enabled()
    {
        var first = sandbox.Leak("prod");
        var second = sandbox.Leak("dev");

        var result = await CliRunner.RunAsync(sandbox, sandbox.Args(sandbox.NewStateDirectory(), "kill", "--stdin", "--dry-run", "-o", "json"), $"leaked: {first.Id}\n{second.Id}\n");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var outcomes = result.Json().GetProperty("outcomes").EnumerateArray().ToList();
        Assert.Equal(2, outcomes.Count);
        Assert.All(outcomes, o => Assert.Equal("WouldDisable", o.GetProperty("outcome").GetString()));
        Assert.Equal(["prod", "dev"], outcomes.Select(o => o.GetProperty("owner").GetString()));
        Assert.True(sandbox.IsEnabled("prod", first.Id));
        Assert.True(sandbox.IsEnabled("dev", second.Id));
    }

    [Fact]
    public async Task A_file_of_tokens_is_killed_and_an_unknown_token_makes_the_exit_code_4_not_found()
    {
        var known = sandbox.Leak("prod");
        var unknown = sandbox.UnknownToken();
        var file = Path.Combine(sandbox.NewFolder(), "leaks.txt");
        await File.WriteAllTextAsync(file, $"export DT={known.Secret}\nother={unknown}\n", TestContext.Current.CancellationToken);

        var result = await CliRunner.RunAsync(sandbox, sandbox.Args(sandbox.NewStateDirectory(), "kill", "--file", file, "-o", "json"));

        Assert.True(result.ExitCode == ExitCodes.NotFound, result.ToString());
        var outcomes = result.Json().GetProperty("outcomes").EnumerateArray().ToDictionary(o => o.GetProperty("tokenId").GetString()!, o => o.GetProperty("outcome").GetString());
        Assert.Equal("Disabled", outcomes[known.Id]);
        Assert.Equal("NotFound", outcomes[unknown[..unknown.LastIndexOf('.')]]);
        Assert.False(sandbox.IsEnabled("prod", known.Id));
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("dt0c01.short")]
    public async Task An_argument_that_is_not_a_token_is_a_usage_error(string argument)
    {
        var result = await CliRunner.RunAsync(sandbox, sandbox.Args(sandbox.NewStateDirectory(), "kill", argument));

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("argument 1", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(argument, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kill_without_any_token_is_a_usage_error()
    {
        var result = await CliRunner.RunAsync(sandbox, sandbox.Args(sandbox.NewStateDirectory(), "kill"));

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task Kill_stdin_on_a_terminal_says_what_it_waits_for_and_ctrl_c_ends_the_wait()
    {
        using var stdin = new BlockingStream();
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var error = new SignalWriter("Ctrl+C cancels", interrupt.Cancel);

        var result = await CliRunner.RunAsync(sandbox, sandbox.Args(sandbox.NewStateDirectory(), "kill", "--stdin"), stdin, Terminals.Input | Terminals.Error, new StringWriter(), error, interrupt.Token);
        stdin.Release();

        Assert.True(result.ExitCode == ExitCodes.Interrupted, result.ToString());
        Assert.Equal(
            "Paste the leaked tokens or token ids, then press Ctrl+D (Ctrl+Z then Enter on Windows); Ctrl+C cancels.\n"
            + "interrupted: stopped by Ctrl+C; decisions already taken are audited and kill-switch progress is kept, so the same command resumes.\n",
            result.Error);
    }

    [Fact]
    public async Task On_a_terminal_kill_shows_the_owner_search_on_stderr_and_erases_it()
    {
        var leaked = sandbox.Leak("dev");

        var result = await CliRunner.RunAsync(sandbox, sandbox.Args(sandbox.NewStateDirectory(), "kill", leaked.Id, "--dry-run"), Stream.Null, Terminals.Error | Terminals.Output, new StringWriter(), new StringWriter(), TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains("\rdry run: finding the owners of 1 token(s) in 2 environment(s) and 1 account(s) and deciding… 0s", result.Error, StringComparison.Ordinal);
        Assert.EndsWith("\r" + new string(' ', 100) + "\r", result.Error, StringComparison.Ordinal);
        Assert.Contains("1 token(s) (dry run): every one would be disabled; nothing was changed.", result.Out, StringComparison.Ordinal);
        Assert.True(sandbox.IsEnabled("dev", leaked.Id));
    }

    [Fact]
    public async Task An_unknown_environment_is_a_usage_error_listing_the_configured_ones()
    {
        var result = await CliRunner.RunAsync(sandbox, sandbox.Args(sandbox.NewStateDirectory(), "kill", sandbox.Leak("dev").Id, "--environment", "prdo"));

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.EndsWith("error: --environment prdo is not a configured environment or account; configured: prod, dev, main.\n", result.Error, StringComparison.Ordinal);
    }
}
