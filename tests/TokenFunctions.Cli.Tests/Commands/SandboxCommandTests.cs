using System.Text.Json;
using TokenFunctions.Cli.Tests.Support;

namespace TokenFunctions.Cli.Tests.Commands;

public sealed class SandboxCommandTests
{
    [Fact]
    public async Task Sandbox_runs_until_cancelled_and_its_settings_file_points_other_commands_at_it()
    {
        var state = Directory.CreateTempSubdirectory("tokenfunctions-sandbox-cmd-").FullName;
        try
        {
            var settings = Path.Combine(state, "sandbox.settings.json");
            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            var running = CliRunner.RunAsync(null, ["sandbox", "--url", "http://127.0.0.1:0", "--state-dir", state], null, new SignalWriter("Ctrl+C stops.", ready.SetResult), new StringWriter(), stop.Token);
            await ready.Task.WaitAsync(TestContext.Current.CancellationToken);

            var status = await CliRunner.RunAsync(null, ["status", "--config", settings, "--state-dir", state], stdin: null);
            await stop.CancelAsync();
            var sandbox = await running;

            Assert.True(status.ExitCode == ExitCodes.Ok, status.ToString());
            Assert.True(sandbox.ExitCode == ExitCodes.Ok, sandbox.ToString());
            Assert.Contains("environment prod", sandbox.Out, StringComparison.Ordinal);
            Assert.Contains(settings, sandbox.Out, StringComparison.Ordinal);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(settings));
            }

            // The file holds the generated credentials that the screen never showed.
            var values = JsonSerializer.Deserialize<Dictionary<string, string>>(await File.ReadAllTextAsync(settings, TestContext.Current.CancellationToken))!;
            CliRunner.AssertNoSecret(sandbox.Out + sandbox.Error + status.Out + status.Error, [values["Dynatrace:Environments:0:Credential"], values["Dynatrace:Accounts:0:ClientSecret"]]);
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }
}
