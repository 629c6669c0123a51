using System.CommandLine;
using TokenFunctions.Cli.Hosting;
using TokenFunctions.Cli.Output;
using TokenFunctions.Cli.Scanning;
using TokenFunctions.Engine.KillSwitch;

namespace TokenFunctions.Cli.Commands;

/// <summary><c>scan</c>: find tokens in files, trees or stdin; <c>--kill</c> disables what was found.</summary>
internal static class ScanCommand
{
    public const long DefaultMaxFileMegabytes = 50;

    public static Command Create(CommandRunner runner)
    {
        var paths = new Argument<string[]>("path") { Arity = ArgumentArity.OneOrMore, Description = "Files or directories (recursive), or - for stdin." };
        var kill = new Option<bool>("--kill") { Description = "Disable every token found (the kill-switch, as `kill`)." };
        var maxFile = new Option<long>("--max-file-mb") { Description = "Skip files larger than this many MB.", DefaultValueFactory = _ => DefaultMaxFileMegabytes };
        var options = new KillOptions();
        var command = new Command("scan", """
            Find Dynatrace tokens in files, directory trees (recursively; binaries and files over the size cap are skipped) or stdin,
            and print where they are with their ids and fingerprints, never the secrets.
            Exit code 1 when tokens were found and not (all) disabled.

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
            if (megabytes is < 1 or > 2000)
            {
                throw new CliUsageException("--max-file-mb must be between 1 and 2000.");
            }

            var result = await ScanAsync(context, parse.GetValue(paths) ?? [], megabytes * 1024 * 1024, cancellationToken).ConfigureAwait(false);
            var report = ToReport(result);
            if (parse.GetValue(kill) && result.Findings.Count > 0)
            {
                await using var session = await EngineSession.StartAsync(context, cancellationToken).ConfigureAwait(false);
                report = report with { Kill = await KillFoundAsync(session, result, options.Defaults(parse, context.Time), parse.GetValue(options.DryRun), cancellationToken).ConfigureAwait(false) };
            }

            Write(context, report);
            return ExitCode(report);
        });
        return command;
    }

    public static async Task<ScanResult> ScanAsync(CliContext context, IReadOnlyList<string> paths, long maxFileBytes, CancellationToken cancellationToken)
    {
        var scanner = new TreeScanner(maxFileBytes);
        if (paths is ["-"])
        {
            var text = await context.Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            using var input = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));
            return await scanner.ScanStreamAsync(input, "-", cancellationToken).ConfigureAwait(false);
        }

        if (paths.Contains("-"))
        {
            throw new CliUsageException("- (stdin) cannot be combined with paths.");
        }

        for (var i = 0; i < paths.Count; i++)
        {
            if (!File.Exists(paths[i]) && !Directory.Exists(paths[i]))
            {
                // A mistyped option lands here too (paths are variadic), so say which argument rather than echo it.
                throw new CliUsageException($"path {i + 1} is not a file or directory (options start with -- and are listed by --help).");
            }
        }

        var (files, total, missing) = TreeScanner.Enumerate(paths);

        if (!context.Console.IsTerminal || context.Json || total < ProgressBar.LongScanBytes)
        {
            return await scanner.ScanFilesAsync(files, missing, cancellationToken).ConfigureAwait(false);
        }

        await using var bar = new ProgressBar(context.Console.Error, total, context.Time);
        bar.Start(() => scanner.BytesDone);
        return await scanner.ScanFilesAsync(files, missing, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<KillReport> KillFoundAsync(EngineSession session, ScanResult result, LeakDefaults defaults, bool dryRun, CancellationToken cancellationToken)
    {
        var leaks = result.Findings.Select(f => defaults.Apply(Leak.FromSecret(f.Secret, LeakInputs.Source, defaults.IncidentId), $"{f.Path}:{f.Line}")).ToList();
        var report = await KillExecution.RunAsync(session, leaks, dryRun, defaults.IncidentId, cancellationToken).ConfigureAwait(false);
        var locations = result.Findings.GroupBy(f => f.Secret.Id.Value, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(f => $"{f.Path}:{f.Line}")], StringComparer.Ordinal);
        return report with { Outcomes = [.. report.Outcomes.Select(o => o with { Locations = locations.GetValueOrDefault(o.TokenId) })] };
    }

    public static ScanReport ToReport(ScanResult result) => new(
        result.FilesScanned,
        result.BytesScanned,
        result.SkippedBinary,
        result.SkippedTooLarge,
        result.Unreadable,
        [.. result.Findings.Select(f => new ScanFindingRow(f.Path, f.Line, f.Secret.Id.Value, f.Secret.Kind.ToString(), f.Secret.Fingerprint))]);

    public static void Write(CliContext context, ScanReport report)
    {
        CommandRunner.Write(context, report, CliJsonContext.Default.ScanReport);
    }

    private static int ExitCode(ScanReport report) =>
        report.Findings.Count == 0 || report.Kill is { AllSucceeded: true } ? ExitCodes.Ok : ExitCodes.NeedsAttention;
}
