using TokenFunctions.Cli.Tests.Support;

namespace TokenFunctions.Cli.Tests.Commands;

[Collection(SandboxCollection.Name)]
public sealed class ScanCommandTests(SandboxFixture sandbox)
{
    [Fact]
    public async Task Scan_with_kill_finds_tokens_in_a_tree_skips_binaries_and_disables_what_it_found()
    {
        var leaked = sandbox.Leak("prod");
        var inBinary = sandbox.Leak("prod");
        var root = sandbox.NewFolder();
        Directory.CreateDirectory(Path.Combine(root, "src", "deep"));
        var ct = TestContext.Current.CancellationToken;
        await File.WriteAllTextAsync(Path.Combine(root, "src", "deep", "settings.yaml"), $"a: 1\nb: 2\nc: 3\nd: 4\ntoken: \"{leaked.Secret}\"\n", ct);
        await File.WriteAllTextAsync(Path.Combine(root, "README.md"), "nothing here but dt0c01 prose\n", ct);
        await File.WriteAllBytesAsync(Path.Combine(root, "image.bin"), [0, 1, 2, .. System.Text.Encoding.ASCII.GetBytes(inBinary.Secret)], ct);

        var result = await CliRunner.RunAsync(sandbox, sandbox.Args(sandbox.NewStateDirectory(), "scan", root, "--kill", "--incident", "INC-SCAN-1", "-o", "json"));

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var json = result.Json();
        var finding = Assert.Single(json.GetProperty("findings").EnumerateArray());
        Assert.Equal(5, finding.GetProperty("line").GetInt32());
        Assert.Equal(leaked.Id, finding.GetProperty("tokenId").GetString());
        Assert.Equal(64, finding.GetProperty("fingerprint").GetString()!.Length);
        Assert.Equal(1, json.GetProperty("skippedBinary").GetInt32());
        Assert.Equal(2, json.GetProperty("filesScanned").GetInt32());
        var outcome = Assert.Single(json.GetProperty("kill").GetProperty("outcomes").EnumerateArray());
        Assert.Equal("Disabled", outcome.GetProperty("outcome").GetString());
        Assert.False(sandbox.IsEnabled("prod", leaked.Id));
        Assert.True(sandbox.IsEnabled("prod", inBinary.Id));
    }

    [Fact]
    public async Task Scan_without_kill_reports_file_and_line_and_exits_1_without_touching_the_token()
    {
        var leaked = sandbox.Leak("dev");
        var file = Path.Combine(sandbox.NewFolder(), "app.log");
        await File.WriteAllTextAsync(file, $"line one\nAuthorization: Api-Token {leaked.Secret}\n", TestContext.Current.CancellationToken);

        var result = await CliRunner.RunAsync(sandbox, sandbox.Args(sandbox.NewStateDirectory(), "scan", file));

        Assert.Equal(ExitCodes.NeedsAttention, result.ExitCode);
        Assert.Contains($"{file}:2", result.Out, StringComparison.Ordinal);
        Assert.Contains(leaked.Id, result.Out, StringComparison.Ordinal);
        Assert.True(sandbox.IsEnabled("dev", leaked.Id));
    }

    [Fact]
    public async Task Scan_of_stdin_and_of_a_clean_tree()
    {
        var leaked = sandbox.Leak("dev");
        var fromStdin = await CliRunner.RunAsync(sandbox, sandbox.Args(sandbox.NewStateDirectory(), "scan", "-", "-o", "json"), $"+ DT_TOKEN={leaked.Secret}\n");
        var clean = sandbox.NewFolder();
        await File.WriteAllTextAsync(Path.Combine(clean, "a.txt"), "no tokens", TestContext.Current.CancellationToken);
        var cleanResult = await CliRunner.RunAsync(sandbox, sandbox.Args(sandbox.NewStateDirectory(), "scan", clean));

        Assert.Equal(ExitCodes.NeedsAttention, fromStdin.ExitCode);
        Assert.Equal("-", Assert.Single(fromStdin.Json().GetProperty("findings").EnumerateArray()).GetProperty("path").GetString());
        Assert.Equal(ExitCodes.Ok, cleanResult.ExitCode);
    }

    [Fact]
    public async Task A_file_over_the_size_cap_is_skipped_and_counted()
    {
        var leaked = sandbox.Leak("dev");
        var folder = sandbox.NewFolder();
        await File.WriteAllTextAsync(Path.Combine(folder, "big.txt"), new string('x', 1024 * 1024) + leaked.Secret, TestContext.Current.CancellationToken);

        var result = await CliRunner.RunAsync(sandbox, sandbox.Args(sandbox.NewStateDirectory(), "scan", folder, "--max-file-mb", "1", "-o", "json"));

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal(1, result.Json().GetProperty("skippedTooLarge").GetInt32());
    }
}
