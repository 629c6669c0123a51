using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using TokenFunctions.Cli.Console;
using TokenFunctions.Cli.Tests.Support;

namespace TokenFunctions.Cli.Tests.Commands;

[Collection(SandboxCollection.Name)]
public sealed class ScanCommandTests(SandboxFixture sandbox)
{
    [Fact]
    public async Task Scan_with_kill_reads_binaries_and_utf16_with_or_without_a_bom_and_disables_everything_found()
    {
        var inText = sandbox.Leak("prod");
        var inBinary = sandbox.Leak("prod");
        var inUtf16 = sandbox.Leak("dev");
        var inUtf16Be = sandbox.Leak("dev");
        var root = sandbox.NewFolder();
        Directory.CreateDirectory(Path.Combine(root, "src", "deep"));
        var ct = TestContext.Current.CancellationToken;
        await File.WriteAllTextAsync(Path.Combine(root, "src", "deep", "settings.yaml"), $"a: 1\nb: 2\nc: 3\nd: 4\ntoken: \"{inText.Secret}\"\n", ct);
        await File.WriteAllTextAsync(Path.Combine(root, "README.md"), "nothing here but dt0c01 prose\n", ct);
        await File.WriteAllBytesAsync(Path.Combine(root, "image.bin"), [0, 1, 2, 0, .. Encoding.ASCII.GetBytes(inBinary.Secret), 0, 255], ct);

        // What Windows PowerShell's `>` writes: UTF-16 LE with a BOM; and big-endian without one.
        await File.WriteAllTextAsync(Path.Combine(root, "env-dump.txt"), $"PATH=C:\\Windows\r\nHOME=C:\\Users\\me\r\nDT_API_TOKEN={inUtf16.Secret}\r\n", new UnicodeEncoding(bigEndian: false, byteOrderMark: true), ct);
        await File.WriteAllBytesAsync(Path.Combine(root, "be.txt"), new UnicodeEncoding(bigEndian: true, byteOrderMark: false).GetBytes($"x\n{inUtf16Be.Secret}\n"), ct);

        var result = await CliRunner.RunAsync(sandbox, sandbox.Args(sandbox.NewStateDirectory(), "scan", root, "--kill", "--incident", "INC-SCAN-1", "-o", "json"));

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal(string.Empty, result.Error.Replace(EmbeddedStoreNote(result.Error), string.Empty, StringComparison.Ordinal).Trim());
        var json = result.Json();
        var findings = json.GetProperty("findings").EnumerateArray().ToDictionary(f => f.GetProperty("tokenId").GetString()!, f => (Path.GetFileName(f.GetProperty("path").GetString()), f.GetProperty("line").GetInt64()));
        Assert.Equal(("settings.yaml", 5L), findings[inText.Id]);
        Assert.Equal(("image.bin", 1L), findings[inBinary.Id]);
        Assert.Equal(("env-dump.txt", 3L), findings[inUtf16.Id]);
        Assert.Equal(("be.txt", 2L), findings[inUtf16Be.Id]);
        Assert.True(json.GetProperty("complete").GetBoolean());
        Assert.Equal(5, json.GetProperty("filesScanned").GetInt32());
        Assert.All(json.GetProperty("kill").GetProperty("outcomes").EnumerateArray(), o => Assert.Equal("Disabled", o.GetProperty("outcome").GetString()));
        Assert.False(sandbox.IsEnabled("prod", inText.Id));
        Assert.False(sandbox.IsEnabled("prod", inBinary.Id));
        Assert.False(sandbox.IsEnabled("dev", inUtf16.Id));
        Assert.False(sandbox.IsEnabled("dev", inUtf16Be.Id));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_fifo_and_a_socket_are_never_opened_but_named_and_the_scan_exits_10_even_when_everything_found_was_disabled()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("FIFOs and Unix sockets in a folder are a Unix thing.");
        }

        var leaked = sandbox.Leak("dev");
        var root = sandbox.NewFolder();
        await File.WriteAllTextAsync(Path.Combine(root, "app.env"), $"T={leaked.Secret}\n", TestContext.Current.CancellationToken);
        var fifo = Path.Combine(root, "control.fifo");
        using (var mkfifo = Process.Start("mkfifo", fifo))
        {
            await mkfifo.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        var socketPath = Path.Combine(root, "agent.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));

        var result = await CliRunner.RunAsync(sandbox, sandbox.Args(sandbox.NewStateDirectory(), "scan", root, "/dev/null", "--kill"));

        Assert.True(result.ExitCode == ExitCodes.Incomplete, result.ToString());
        Assert.False(sandbox.IsEnabled("dev", leaked.Id));
        Assert.StartsWith(
            $"not read: /dev/null: a character device; never opened\nnot read: {socketPath}: a socket; never opened\nnot read: {fifo}: a named pipe (FIFO); never opened\n"
            + "scan incomplete: 3 path(s) not read; tokens in them were not looked for.\n",
            result.Error,
            StringComparison.Ordinal);
        Assert.Contains("1 token(s): all done.", result.Out, StringComparison.Ordinal);
        Assert.EndsWith("INCOMPLETE: 3 path(s) were not read (named on stderr); tokens in them were not looked for.\n", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_over_an_explicit_cap_is_named_as_not_read_and_without_a_cap_it_is_read()
    {
        var inBig = sandbox.Leak("dev");
        var folder = sandbox.NewFolder();
        var big = Path.Combine(folder, "big.log");
        await File.WriteAllTextAsync(big, new string('x', 2 * 1024 * 1024) + "\n" + inBig.Secret + "\n", TestContext.Current.CancellationToken);

        var capped = await CliRunner.RunAsync(sandbox, sandbox.Args(sandbox.NewStateDirectory(), "scan", folder, "--max-file-mb", "1", "-o", "json"));
        var whole = await CliRunner.RunAsync(sandbox, sandbox.Args(sandbox.NewStateDirectory(), "scan", folder, "-o", "json"));

        Assert.True(capped.ExitCode == ExitCodes.Incomplete, capped.ToString());
        Assert.Equal($"not read: {big}: 2.1 MB, over --max-file-mb 1\nscan incomplete: 1 path(s) not read; tokens in them were not looked for.\n", capped.Error);
        var notRead = Assert.Single(capped.Json().GetProperty("notRead").EnumerateArray());
        Assert.Equal("over-cap", notRead.GetProperty("reason").GetString());
        Assert.False(capped.Json().GetProperty("complete").GetBoolean());

        Assert.True(whole.ExitCode == ExitCodes.NeedsHuman, whole.ToString());
        Assert.Equal(2, Assert.Single(whole.Json().GetProperty("findings").EnumerateArray()).GetProperty("line").GetInt64());
        Assert.Equal(string.Empty, whole.Error);
    }

    [Fact]
    public async Task A_hundred_megabytes_on_stdin_are_streamed_and_every_token_in_them_is_disabled()
    {
        var leaks = Enumerable.Range(0, 3).Select(_ => sandbox.Leak("prod")).ToList();
        const long size = 100L * 1000 * 1000;

        // At the start, across the scanner's first 1 MiB buffer boundary, and at the very end.
        var placed = new Dictionary<long, string>
        {
            [0] = leaks[0].Secret + " ",
            [(1 << 20) - 40] = " " + leaks[1].Secret + " ",
            [size - leaks[2].Secret.Length - 1] = " " + leaks[2].Secret,
        };
        using var stdin = new GeneratedStream(size, placed);

        var result = await CliRunner.RunAsync(sandbox, sandbox.Args(sandbox.NewStateDirectory(), "scan", "-", "--kill", "-o", "json"), stdin, Terminals.None, new StringWriter(), new StringWriter(), TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var json = result.Json();
        Assert.Equal(size, json.GetProperty("bytesScanned").GetInt64());
        Assert.True(json.GetProperty("complete").GetBoolean());
        var lines = json.GetProperty("findings").EnumerateArray().ToDictionary(f => f.GetProperty("tokenId").GetString()!, f => f.GetProperty("line").GetInt64());
        Assert.Equal(3, lines.Count);
        foreach (var (offset, text) in placed)
        {
            Assert.Equal(GeneratedStream.LineAt(offset + (text[0] == ' ' ? 1 : 0), placed), lines[leaks.Single(l => text.Contains(l.Secret, StringComparison.Ordinal)).Id]);
        }

        Assert.All(leaks, l => Assert.False(sandbox.IsEnabled("prod", l.Id)));
    }

    [Fact]
    public async Task Stdin_over_an_explicit_cap_is_named_as_not_read()
    {
        using var stdin = new GeneratedStream(3L * 1024 * 1024, new Dictionary<long, string>());

        var result = await CliRunner.RunAsync(sandbox, sandbox.Args(sandbox.NewStateDirectory(), "scan", "-", "--max-file-mb", "2"), stdin, Terminals.None, new StringWriter(), new StringWriter(), TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == ExitCodes.Incomplete, result.ToString());
        Assert.Equal("not read: -: only the first 2 MB were read (--max-file-mb)\nscan incomplete: 1 path(s) not read; tokens in them were not looked for.\n", result.Error);
    }

    [Fact]
    public async Task Tokens_found_without_kill_need_a_human_and_a_clean_tree_is_0()
    {
        var leaked = sandbox.Leak("dev");
        var file = Path.Combine(sandbox.NewFolder(), "app.log");
        await File.WriteAllTextAsync(file, $"line one\nAuthorization: Api-Token {leaked.Secret}\n", TestContext.Current.CancellationToken);
        var clean = sandbox.NewFolder();
        await File.WriteAllTextAsync(Path.Combine(clean, "a.txt"), "no tokens", TestContext.Current.CancellationToken);

        var found = await CliRunner.RunAsync(sandbox, sandbox.Args(sandbox.NewStateDirectory(), "scan", file));
        var fromStdin = await CliRunner.RunAsync(sandbox, sandbox.Args(sandbox.NewStateDirectory(), "scan", "-", "-o", "json"), $"+ DT_TOKEN={leaked.Secret}\n");
        var cleanResult = await CliRunner.RunAsync(sandbox, sandbox.Args(sandbox.NewStateDirectory(), "scan", clean));

        Assert.Equal(ExitCodes.NeedsHuman, found.ExitCode);
        Assert.Contains($"{file}:2", found.Out, StringComparison.Ordinal);
        Assert.True(sandbox.IsEnabled("dev", leaked.Id));
        Assert.Equal(ExitCodes.NeedsHuman, fromStdin.ExitCode);
        Assert.Equal("-", Assert.Single(fromStdin.Json().GetProperty("findings").EnumerateArray()).GetProperty("path").GetString());
        Assert.Equal(ExitCodes.Ok, cleanResult.ExitCode);
        Assert.Equal("Scanned 1 file(s), 0.0 MB. Found 0 token(s) (0 distinct).\n", cleanResult.Out);
    }

    [Fact]
    public async Task On_a_terminal_scan_draws_progress_on_stderr_and_keeps_stdout_a_json_document()
    {
        var folder = sandbox.NewFolder();
        await File.WriteAllTextAsync(Path.Combine(folder, "a.txt"), "nothing", TestContext.Current.CancellationToken);

        var result = await CliRunner.RunAsync(sandbox, sandbox.Args(sandbox.NewStateDirectory(), "scan", folder, "-o", "json"), Stream.Null, Terminals.Error | Terminals.Output, new StringWriter(), new StringWriter(), TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.StartsWith("\rscanning 1 file(s): 0 of 0 MB", result.Error, StringComparison.Ordinal);
        Assert.Equal(1, result.Json().GetProperty("filesScanned").GetInt32());
    }

    [Fact(Timeout = 60_000)]
    public async Task Scan_of_stdin_on_a_terminal_says_what_it_waits_for_and_ctrl_c_ends_it()
    {
        using var stdin = new BlockingStream();
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var error = new SignalWriter("cancel with Ctrl+C", interrupt.Cancel);

        var result = await CliRunner.RunAsync(sandbox, sandbox.Args(sandbox.NewStateDirectory(), "scan", "-"), stdin, Terminals.Input, new StringWriter(), error, interrupt.Token);
        stdin.Release();

        Assert.True(result.ExitCode == ExitCodes.Interrupted, result.ToString());
        Assert.Equal(
            "Scanning what you type or paste on stdin; end with Ctrl+D (Ctrl+Z then Enter on Windows), cancel with Ctrl+C.\ninterrupted: stopped by Ctrl+C; decisions already taken are audited and kill-switch progress is kept, so the same command resumes.\n",
            result.Error);
    }

    private static string EmbeddedStoreNote(string error) =>
        error.Split('\n').FirstOrDefault(l => l.Contains("embedded store", StringComparison.Ordinal)) ?? "\u0000";
}
