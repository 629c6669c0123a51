using TokenFunctions.Cli.Tests.Support;
using TokenFunctions.DynatraceSandbox;

namespace TokenFunctions.Cli.Tests.Commands;

[Collection(SandboxCollection.Name)]
public sealed class KillSwitchCommandTests(SandboxFixture sandbox)
{
    [Fact]
    public async Task An_interrupted_kill_switch_resumes_from_its_checkpoint_without_redoing_finished_tokens()
    {
        var owner = $"carol-{Guid.NewGuid():N}@example.com";
        var tokens = Enumerable.Range(0, 10).Select(_ => sandbox.Leak("prod", owner)).ToList();
        var state = sandbox.NewStateDirectory();
        string[] args = sandbox.Args(state, "kill-switch", "--owner", owner, "--yes", "--incident", "INC-RESUME-" + Guid.NewGuid().ToString("N")[..6]);

        // Ctrl+C as the first checkpoint with finished tokens is reported (batch size 2).
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var first = await CliRunner.RunAsync(sandbox, args, stdin: null, new SignalWriter("progress:", interrupt.Cancel), interrupt.Token);
        var disabledByFirst = tokens.Count(t => !sandbox.IsEnabled("prod", t.Id));
        var prod = sandbox.Server.Environment("prod");
        var updatesBefore = prod.CallCount(SandboxEndpoint.ApiTokensUpdate);

        var second = await CliRunner.RunAsync(sandbox, args);
        var updatesBySecond = prod.CallCount(SandboxEndpoint.ApiTokensUpdate) - updatesBefore;

        Assert.True(first.ExitCode == ExitCodes.Interrupted, first.ToString());
        Assert.InRange(disabledByFirst, 2, 9);
        Assert.True(second.ExitCode == ExitCodes.Ok, second.ToString());
        Assert.All(tokens, t => Assert.False(sandbox.IsEnabled("prod", t.Id)));

        // Only what the first run had not finished is written again.
        Assert.InRange(updatesBySecond, 10 - disabledByFirst, 10 - 2);
        Assert.Contains("Completed, 10 disabled", second.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_selector_matching_more_than_confirm_above_stops_after_the_dry_run_with_exit_code_3()
    {
        var owner = $"dave-{Guid.NewGuid():N}@example.com";
        var tokens = Enumerable.Range(0, 3).Select(_ => sandbox.Leak("dev", owner)).ToList();

        var result = await CliRunner.RunAsync(sandbox, sandbox.Args(sandbox.NewStateDirectory(), "kill-switch", "--owner", owner, "--confirm-above", "2"));

        Assert.True(result.ExitCode == ExitCodes.ConfirmationRequired, result.ToString());
        Assert.Contains("--yes", result.Out, StringComparison.Ordinal);
        Assert.All(tokens, t => Assert.True(sandbox.IsEnabled("dev", t.Id)));
    }

    [Fact]
    public async Task A_small_selector_runs_after_its_dry_run_and_reports_json()
    {
        var owner = $"erin-{Guid.NewGuid():N}@example.com";
        var tokens = Enumerable.Range(0, 2).Select(_ => sandbox.Leak("dev", owner)).ToList();

        var result = await CliRunner.RunAsync(sandbox, sandbox.Args(sandbox.NewStateDirectory(), "kill-switch", "--owner", owner, "-o", "json"));

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var json = result.Json();
        Assert.Equal("Completed", json.GetProperty("state").GetString());
        Assert.Equal(2, json.GetProperty("succeeded").GetInt64());
        Assert.All(tokens, t => Assert.False(sandbox.IsEnabled("dev", t.Id)));
    }

    [Fact]
    public async Task Without_a_selector_or_with_an_unknown_environment_it_is_a_usage_error()
    {
        var none = await CliRunner.RunAsync(sandbox, sandbox.Args(sandbox.NewStateDirectory(), "kill-switch", "--yes"));
        var unknown = await CliRunner.RunAsync(sandbox, sandbox.Args(sandbox.NewStateDirectory(), "kill-switch", "--environment", "nowhere", "--all", "--yes"));

        Assert.Equal(ExitCodes.Usage, none.ExitCode);
        Assert.True(unknown.ExitCode == ExitCodes.Usage, unknown.ToString());
        Assert.EndsWith("\nerror: --environment nowhere is not a configured environment; configured: prod, dev.\n", unknown.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("message", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, unknown.Out);
    }

    [Fact]
    public async Task A_dry_run_reports_progress_as_would_be_disabled_not_as_done()
    {
        var owner = $"hank-{Guid.NewGuid():N}@example.com";
        var tokens = Enumerable.Range(0, 5).Select(_ => sandbox.Leak("prod", owner)).ToList();

        var result = await CliRunner.RunAsync(sandbox, sandbox.Args(sandbox.NewStateDirectory(), "kill-switch", "--owner", owner, "--dry-run"));

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Matches(@"progress: \d+ listed, 2 would be disabled, 0 settled, 0 need a human", result.Error);
        Assert.DoesNotContain(" done", result.Error, StringComparison.Ordinal);
        Assert.Contains("5 would be disabled", result.Out, StringComparison.Ordinal);
        Assert.All(tokens, t => Assert.True(sandbox.IsEnabled("prod", t.Id)));
    }

    /// <summary>The README's runbook selectors, each as a dry run against the sandbox.</summary>
    [Theory]
    [InlineData("--scope", "logs.ingest")]
    [InlineData("--environment", "dev", "--all")]
    [InlineData("--user", null)]
    public async Task The_runbook_selectors_run_as_dry_runs(string option, string? value, string? all = null)
    {
        string[] selector = [option, value ?? sandbox.Sandbox.PlatformUserUuid, .. all is null ? Array.Empty<string>() : [all]];

        var result = await CliRunner.RunAsync(sandbox, sandbox.Args(sandbox.NewStateDirectory(), ["kill-switch", .. selector, "--dry-run", "-o", "json"]));

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.True(result.Json().GetProperty("succeeded").GetInt64() > 0, result.ToString());
        Assert.True(result.Json().GetProperty("dryRun").GetBoolean());
    }
}
