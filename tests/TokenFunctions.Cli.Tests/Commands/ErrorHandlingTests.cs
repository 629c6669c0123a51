using System.Net;
using System.Net.Sockets;
using TokenFunctions.Cli.Tests.Support;

namespace TokenFunctions.Cli.Tests.Commands;

/// <summary>Every failure is one typed error: its exit code, one line on stderr (no stack trace without -v), and with -o json an error document.</summary>
[Collection(SandboxCollection.Name)]
public sealed class ErrorHandlingTests(SandboxFixture sandbox)
{
    [Fact]
    public async Task An_unreachable_dynatrace_names_its_url_exits_7_and_retries_are_only_told_with_verbose()
    {
        var prod = $"http://127.0.0.1:{ClosedPort.Next()}/";
        var dev = $"http://127.0.0.1:{ClosedPort.Next()}/dev/";
        var config = sandbox.WriteConfig($"unreachable-{Guid.NewGuid():N}.json", new Dictionary<string, string?>
        {
            ["Dynatrace:Environments:0:ApiBaseUrl"] = prod,
            ["Dynatrace:Environments:1:ApiBaseUrl"] = dev,
            ["Dynatrace:Accounts:0:Name"] = null,
            ["Dynatrace:Accounts:0:AccountUuid"] = null,
            ["Dynatrace:Accounts:0:ClientId"] = null,
            ["Dynatrace:Accounts:0:ClientSecret"] = null,
            ["Dynatrace:Accounts:0:SsoTokenEndpoint"] = null,
            ["Dynatrace:Accounts:0:ApiBaseUrl"] = null,
            ["Dynatrace:RequestDeadline"] = "00:00:01.5",
            ["Dynatrace:AttemptTimeout"] = "00:00:00.5",
            ["Audit:ConnectionString"] = null,
        });
        var state = sandbox.NewStateDirectory();
        var token = sandbox.UnknownToken();

        var quiet = await CliRunner.RunAsync(sandbox, ["kill", token, "--config", config, "--state-dir", state]);
        var verbose = await CliRunner.RunAsync(sandbox, ["kill", token, "--config", config, "--state-dir", state, "-v"]);

        Assert.True(quiet.ExitCode == ExitCodes.Unreachable, quiet.ToString());
        var unreachable = new[] { $"unreachable: environment prod at {prod}: connection refused.", $"unreachable: environment dev at {dev}: connection refused." }.Order(StringComparer.Ordinal);
        Assert.Equal($"{EmbeddedNote(state)}\n{string.Join('\n', unreachable)}\n", quiet.Error);
        Assert.Contains("Failed", quiet.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Unreachable, verbose.ExitCode);
        Assert.Contains("[warning] Polly", verbose.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_key_vault_leaves_the_rotation_pending_names_the_vault_and_exits_7()
    {
        var vault = $"https://127.0.0.1:{ClosedPort.Next()}/";
        var config = sandbox.WriteConfig($"kv-unreachable-{Guid.NewGuid():N}.json", new Dictionary<string, string?> { ["KeyVault:VaultUri"] = vault });
        var state = sandbox.NewStateDirectory();

        var result = await CliRunner.RunAsync(sandbox, ["rotate", "dt-prod-ingest", "--config", config, "--state-dir", state, "-o", "json"]);

        Assert.True(result.ExitCode == ExitCodes.Unreachable, result.ToString());
        Assert.Equal(
            $"{EmbeddedNote(state)}\nunreachable: Key Vault {vault}: storage unavailable (HTTP 0); the next run resumes from the recorded step\n",
            result.Error);
        Assert.Equal("Pending", result.Json().GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Sandbox_on_a_busy_port_is_a_usage_error_naming_the_url()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)busy.LocalEndpoint).Port}";

        var result = await CliRunner.RunAsync(null, ["sandbox", "--url", url, "--state-dir", sandbox.NewStateDirectory()], stdin: null);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Equal($"error: --url {url}: the port is already in use (another sandbox?); choose another port, or --url http://127.0.0.1:0 for any free one.\n", result.Error);
    }

    [Fact]
    public async Task An_invalid_appsettings_json_in_the_working_folder_is_a_configuration_error_and_does_not_touch_a_run_with_config()
    {
        var folder = sandbox.NewFolder();
        await File.WriteAllTextAsync(Path.Combine(folder, "appsettings.json"), "{\n  \"Dynatrace\": { oops\n}\n", TestContext.Current.CancellationToken);
        var state = sandbox.NewStateDirectory();
        var environment = new Dictionary<string, string> { ["TOKENFUNCTIONS_STATE_DIR"] = state };

        var without = await CliProcess.RunAsync(folder, environment, "status");
        var with = await CliProcess.RunAsync(folder, environment, "status", "--config", sandbox.ConfigFile);

        Assert.True(without.ExitCode == ExitCodes.Configuration, without.ToString());
        Assert.Equal($"error: appsettings.json in the working folder ({Path.Combine(folder, "appsettings.json")}) is not valid JSON (line 2); fix it or remove it.\n", without.Error);
        Assert.True(with.ExitCode == ExitCodes.Ok, with.ToString());
    }

    [Fact]
    public async Task A_configuration_error_names_the_key_and_the_file_and_with_json_is_an_error_document()
    {
        var config = sandbox.WriteConfig("bad-url.json", new Dictionary<string, string?> { ["Dynatrace:Environments:1:ApiBaseUrl"] = "ftp://dev.example.com/" });

        var result = await CliRunner.RunAsync(sandbox, ["status", "--config", config, "--state-dir", sandbox.NewStateDirectory(), "-o", "json"]);

        Assert.True(result.ExitCode == ExitCodes.Configuration, result.ToString());
        Assert.Equal(
            $"error: the configuration is not valid: Dynatrace:Environments:1:ApiBaseUrl 'ftp://dev.example.com/' is not an absolute http(s) URL. (set in --config {config})\n",
            result.Error);
        var error = result.Json().GetProperty("error");
        Assert.Equal("configuration", error.GetProperty("code").GetString());
        Assert.Equal(ExitCodes.Configuration, error.GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public async Task A_missing_config_file_is_a_configuration_error()
    {
        var result = await CliRunner.RunAsync(sandbox, ["status", "--config", "/nonexistent/settings.json", "--state-dir", sandbox.NewStateDirectory()]);

        Assert.Equal(ExitCodes.Configuration, result.ExitCode);
        Assert.Equal("error: --config: no file at /nonexistent/settings.json.\n", result.Error);
    }

    [Fact]
    public async Task A_mistyped_command_gets_did_you_mean_and_with_json_an_error_document()
    {
        var result = await CliRunner.RunAsync(null, ["kil", "-o", "json"], stdin: null);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal(
            "error: Unrecognized command or argument 'kil'.\n'kil' was not matched. Did you mean one of the following?\nkill\nRun 'tokenfunctions --help' or 'tokenfunctions <command> --help' for usage.\n",
            result.Error);
        Assert.Equal("usage", result.Json().GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public void The_mixed_outcome_rule_puts_the_most_blocking_code_first()
    {
        Assert.Equal(ExitCodes.Ok, ExitCodes.Combine());
        Assert.Equal(ExitCodes.NotFound, ExitCodes.Combine(ExitCodes.Ok, ExitCodes.NotFound, ExitCodes.Incomplete));
        Assert.Equal(ExitCodes.NeedsHuman, ExitCodes.Combine(ExitCodes.NotFound, ExitCodes.NeedsHuman));
        Assert.Equal(ExitCodes.Authentication, ExitCodes.Combine(ExitCodes.Permission, ExitCodes.Authentication, ExitCodes.Unreachable));
        Assert.Equal(ExitCodes.Interrupted, ExitCodes.Combine(ExitCodes.Authentication, ExitCodes.Interrupted));
        Assert.Equal(ExitCodes.Unreachable, ExitCodes.Combine(ExitCodes.Error, ExitCodes.Unreachable, ExitCodes.NeedsHuman));
    }

    private static string EmbeddedNote(string state) =>
        $"tokenfunctions: no Table Storage configured; using the embedded store for the audit trail and incident progress and ledger in {state}; rotation state is kept in memory (set Audit:ConnectionString and Incidents:Storage:ConnectionString, e.g. UseDevelopmentStorage=true for Azurite, to use Table Storage).";
}
