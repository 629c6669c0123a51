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

    [Fact]
    public async Task A_seeded_sandbox_writes_drill_secrets_that_scan_kill_disables_rotate_works_and_drills_stay_apart_from_real_work()
    {
        var state = Directory.CreateTempSubdirectory("tokenfunctions-sandbox-drill-").FullName;
        try
        {
            var seedFile = Path.Combine(state, "seed.json");
            await File.WriteAllTextAsync(seedFile, """{ "environments": [ { "name": "staging", "tokens": [ { "name": "etl", "owner": "carol@example.com", "count": 3 } ] } ] }""", TestContext.Current.CancellationToken);
            var settings = Path.Combine(state, "sandbox.settings.json");
            var drill = Path.Combine(state, "sandbox.drill-secrets.env");
            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            var running = CliRunner.RunAsync(null, ["sandbox", "--url", "http://127.0.0.1:0", "--state-dir", state, "--seed", "20", "--seed-file", seedFile], null, new SignalWriter("Ctrl+C stops.", ready.SetResult), new StringWriter(), stop.Token);
            await ready.Task.WaitAsync(TestContext.Current.CancellationToken);

            var secrets = (await File.ReadAllLinesAsync(drill, TestContext.Current.CancellationToken)).Where(l => l.StartsWith("DT_TOKEN_", StringComparison.Ordinal)).Select(l => l[(l.IndexOf('=') + 1)..]).ToList();
            var scan = await CliRunner.RunAsync(null, ["scan", drill, "--kill", "--config", settings, "--state-dir", state, "-o", "json"], stdin: null);
            var rotate = await CliRunner.RunAsync(null, ["rotate", "dt-prod-ingest", "--config", settings, "--state-dir", state, "-o", "json"], stdin: null);
            var drillAudit = await CliRunner.RunAsync(null, ["audit", "--since", "1h", "--limit", "500", "--config", settings, "--state-dir", state, "-o", "json"], stdin: null);
            var realAudit = await CliRunner.RunAsync(null, ["audit", "--since", "1h", "--state-dir", state, "--config", SandboxlessConfig(state), "-o", "json"], stdin: null);
            await stop.CancelAsync();
            var sandbox = await running;

            // 5 seeded, 20 from --seed, 3 from the seed file, and the managed credential.
            Assert.Equal(29, secrets.Count);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(drill));
            }

            Assert.True(scan.ExitCode == ExitCodes.Ok, scan.ToString());
            var outcomes = scan.Json().GetProperty("kill").GetProperty("outcomes").EnumerateArray().ToList();
            Assert.Equal(29, outcomes.Count);
            Assert.All(outcomes, o => Assert.Equal("Disabled", o.GetProperty("outcome").GetString()));
            Assert.Contains("sandbox drill", scan.Error, StringComparison.Ordinal);
            Assert.True(rotate.ExitCode == ExitCodes.Ok, rotate.ToString());
            Assert.Equal("Rotated", rotate.Json().GetProperty("outcome").GetString());
            Assert.True(drillAudit.Json().GetProperty("count").GetInt32() >= 29, drillAudit.ToString());
            Assert.Equal(0, realAudit.Json().GetProperty("count").GetInt32());
            Assert.True(File.Exists(Path.Combine(state, "sandbox", "audit.jsonl")));
            Assert.False(File.Exists(Path.Combine(state, "audit.jsonl")));
            Assert.Contains("environment staging", sandbox.Out, StringComparison.Ordinal);
            CliRunner.AssertNoSecret(sandbox.Out + sandbox.Error + scan.Out + scan.Error + rotate.Out + rotate.Error + drillAudit.Out, secrets);
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    /// <summary>Real work's settings for the same state folder: any Dynatrace, here an environment nothing listens on.</summary>
    private static string SandboxlessConfig(string state)
    {
        var path = Path.Combine(state, "real.json");
        File.WriteAllText(path, """{ "Dynatrace": { "Environments": [ { "Name": "prod", "ApiBaseUrl": "http://127.0.0.1:9/", "Credential": "not-a-token" } ] } }""");
        return path;
    }
}
