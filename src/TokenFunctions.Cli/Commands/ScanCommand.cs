using System.CommandLine;
using System.Globalization;
using TokenFunctions.Cli.Console;
using TokenFunctions.Cli.Errors;
using TokenFunctions.Cli.Hosting;
using TokenFunctions.Cli.Output;
using TokenFunctions.Cli.Scanning;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;

namespace TokenFunctions.Cli.Commands;

/// <summary><c>scan</c>: find tokens in files, trees or stdin; <c>--kill</c> disables what was found.</summary>
internal static class ScanCommand
{
    public static Command Create(CommandRunner runner)
    {
        var paths = new Argument<string[]>("path") { Arity = ArgumentArity.OneOrMore, Description = "Files or directories (recursive), or - for stdin." };
        var kill = new Option<bool>("--kill") { Description = "Disable every token found (as `kill` does)." };
        var maxFile = new Option<long?>("--max-file-mb") { Description = "Do not read files larger than this many MB (default: no limit). Each one is named as not read and the exit code is 10." };
        var options = new KillCommandOptions();
        var command = new Command("scan", """
            Find Dynatrace tokens in files, directory trees (recursively) or stdin, and print where they are with their ids
            and fingerprints, never the secrets. Every regular file is read whole, whatever its size: text, binaries and
            UTF-16. FIFOs, sockets and devices are never opened; every path not read is named on stderr.
            Exit codes: 8 when tokens were found and not disabled, 10 when anything was not read (also with --kill).

            Examples:
              tokenfunctions scan ./repo
              git diff | tokenfunctions scan -
              tokenfunctions scan /var/log/app --kill --incident INC-42
            """);
        command.Arguments.Add(paths);
        command.Options.Add(kill);
        command.Options.Add(maxFile);
        options.AddTo(command);
        runner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            var megabytes = parse.GetValue(maxFile);
            if (megabytes is < 1)
            {
                throw CliException.Usage("--max-file-mb must be at least 1.");
            }

            var result = await ScanAsync(context, parse.GetValue(paths) ?? [], megabytes * 1024 * 1024, cancellationToken).ConfigureAwait(false);
            WriteNotRead(context, result);
            var report = ToReport(result);
            if (parse.GetValue(kill) && result.Findings.Count > 0)
            {
                await using var session = await EngineSession.StartAsync(context, cancellationToken).ConfigureAwait(false);
                var defaults = options.Defaults(parse, context.Time);
                Targets.Require(session, defaults.OwnerHint, "--environment");
                report = report with { Kill = await KillFoundAsync(context, session, result, defaults, parse.GetValue(options.DryRun), cancellationToken).ConfigureAwait(false) };
            }

            Write(context, report);
            return ExitCode(report);
        });
        return command;
    }

    public static async Task<ScanResult> ScanAsync(CliContext context, IReadOnlyList<string> paths, long? maxFileBytes, CancellationToken cancellationToken)
    {
        var scanner = new TreeScanner(maxFileBytes);
        if (paths is ["-"])
        {
            if (context.Console.InputIsTerminal)
            {
                context.Console.Error.WriteLine("Scanning what you type or paste on stdin; end with Ctrl+D (Ctrl+Z then Enter on Windows), cancel with Ctrl+C.");
            }

            await using var stdinStatus = StatusLine.Start(context.Console, context.Time, () => string.Create(CultureInfo.InvariantCulture, $"scanning stdin: {scanner.BytesDone / 1e6:0} MB read"));

            // Reading stdin blocks in the operating system; Ctrl+C must end the command even then.
            return await Task.Run(() => scanner.ScanStream(context.Console.Input, "-", cancellationToken), cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (paths.Contains("-"))
        {
            throw CliException.Usage("- (stdin) cannot be combined with paths.");
        }

        for (var i = 0; i < paths.Count; i++)
        {
            if (!File.Exists(paths[i]) && !Directory.Exists(paths[i]))
            {
                // A mistyped option lands here too (paths are variadic), so say which argument rather than echo it.
                throw CliException.Usage($"path {i + 1} is not a file or directory (options start with -- and are listed by --help).");
            }
        }

        var plan = TreeScanner.Plan(paths);
        await using var status = StatusLine.Start(context.Console, context.Time, () => Progress(scanner.BytesDone, plan.TotalBytes, plan.Files.Count));
        return await Task.Run(() => scanner.ScanFiles(plan, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every path not read, one line each on stderr (whatever the output format), then the verdict.</summary>
    public static void WriteNotRead(CliContext context, ScanResult result)
    {
        foreach (var path in result.NotRead)
        {
            context.Console.Error.WriteLine($"not read: {path.Path}: {path.Detail}");
        }

        if (!result.Complete)
        {
            context.Console.Error.WriteLine($"scan incomplete: {result.NotRead.Count} path(s) not read; tokens in them were not looked for.");
        }
    }

    public static async Task<KillReport> KillFoundAsync(CliContext context, EngineSession session, ScanResult result, LeakDefaults defaults, bool dryRun, CancellationToken cancellationToken)
    {
        var leaks = result.Findings.Select(f => defaults.Apply(Leak.FromSecret(f.Secret, LeakInputs.Source, defaults.IncidentId), $"{f.Path}:{f.Line}")).ToList();
        var report = await KillExecution.RunAsync(context, session, leaks, dryRun, defaults.IncidentId, cancellationToken).ConfigureAwait(false);
        var locations = result.Findings.GroupBy(f => f.Secret.Id.Value, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(f => $"{f.Path}:{f.Line}")], StringComparer.Ordinal);
        return report with { Outcomes = [.. report.Outcomes.Select(o => o with { Locations = locations.GetValueOrDefault(o.TokenId) })] };
    }

    public static ScanReport ToReport(ScanResult result) => new(
        result.FilesScanned,
        result.BytesScanned,
        result.Complete,
        [.. result.NotRead.Select(n => new NotReadRow(n.Path, n.Reason, n.Detail))],
        result.LinksNotFollowed,
        [.. result.Findings.Select(f => new ScanFindingRow(f.Path, f.Line, f.Secret.Id.Value, f.Secret.Kind.ToString(), f.Secret.Fingerprint))]);

    public static void Write(CliContext context, ScanReport report)
    {
        CommandRunner.Write(context, report, CliJsonContext.Default.ScanReport);
    }

    /// <summary>Tokens left live need a human; a scan that did not read everything is never "all clear".</summary>
    internal static int ExitCode(ScanReport report) => ExitCodes.Combine(
        report.Complete ? ExitCodes.Ok : ExitCodes.Incomplete,
        report.Findings.Count > 0 && report.Kill is null ? ExitCodes.NeedsHuman : ExitCodes.Ok,
        report.Kill?.ExitCode ?? ExitCodes.Ok);

    private static string Progress(long done, long total, int files) => string.Create(
        CultureInfo.InvariantCulture,
        $"scanning {files} file(s): {done / 1e6:0} of {total / 1e6:0} MB ({(total == 0 ? 100 : Math.Min(100, 100.0 * done / total)):0}%)");
}
