using System.CommandLine;
using TokenFunctions.Cli.Errors;
using TokenFunctions.Cli.Hosting;
using TokenFunctions.Cli.Output;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;

namespace TokenFunctions.Cli.Commands;

/// <summary><c>kill</c>: disable leaked tokens given as arguments, on stdin or in a file.</summary>
internal static class KillCommand
{
    public static Command Create(CommandRunner runner)
    {
        var tokens = new Argument<string[]>("token") { Arity = ArgumentArity.ZeroOrMore, Description = "Leaked tokens (dt0c01.PUBLIC.SECRET) or token ids (dt0c01.PUBLIC)." };
        var stdin = new Option<bool>("--stdin") { Description = "Read tokens or token ids from stdin (any text; tokens inside it are found)." };
        var file = new Option<FileInfo?>("--file", "-f") { Description = "Read tokens or token ids from this file." };
        var options = new KillCommandOptions();
        var command = new Command("kill", """
            Disable leaked Dynatrace tokens in whichever configured environment or account owns them.
            Exit code 1 when any token needs a human (not found, protected, denied) or failed.

            Examples:
              tokenfunctions kill dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX --reason "pasted in chat" --incident INC-42
              tokenfunctions kill --file leaked.txt --dry-run
              echo "$TOKEN" | tokenfunctions kill --stdin
            """);
        command.Arguments.Add(tokens);
        command.Options.Add(stdin);
        command.Options.Add(file);
        options.AddTo(command);
        runner.SetAction(command, async (context, parse, cancellationToken) =>
        {
            var defaults = options.Defaults(parse, context.Time);
            var leaks = new List<Leak>();
            var arguments = parse.GetValue(tokens) ?? [];
            for (var i = 0; i < arguments.Length; i++)
            {
                leaks.AddRange(LeakInputs.FromArgument(arguments[i], i + 1, defaults));
            }

            if (parse.GetValue(stdin))
            {
                leaks.AddRange(LeakInputs.FromText(await ReadStdinAsync(context, cancellationToken).ConfigureAwait(false), "stdin", defaults));
            }

            if (parse.GetValue(file) is { } path)
            {
                if (!path.Exists)
                {
                    throw CliException.Usage($"--file: no file at {path.FullName}.");
                }

                leaks.AddRange(LeakInputs.FromText(await File.ReadAllTextAsync(path.FullName, cancellationToken).ConfigureAwait(false), path.FullName, defaults));
            }

            if (leaks.Count == 0)
            {
                throw CliException.Usage("no token found: give tokens or token ids as arguments, --stdin or --file.");
            }

            await using var session = await EngineSession.StartAsync(context, cancellationToken).ConfigureAwait(false);
            Targets.Require(session, defaults.OwnerHint, "--environment");
            var report = await KillExecution.RunAsync(context, session, leaks, parse.GetValue(options.DryRun), defaults.IncidentId, cancellationToken).ConfigureAwait(false);
            Write(context, report);
            return report.ExitCode;
        });
        return command;
    }

    /// <summary>
    /// All of stdin as text. On a terminal it first says what it waits for; Ctrl+C ends the wait even while the read is
    /// blocked in the operating system (the read is abandoned, the process exits with 130).
    /// </summary>
    internal static async Task<string> ReadStdinAsync(CliContext context, CancellationToken cancellationToken)
    {
        if (context.Console.InputIsTerminal)
        {
            context.Console.Error.WriteLine("Paste the leaked tokens or token ids, then press Ctrl+D (Ctrl+Z then Enter on Windows); Ctrl+C cancels.");
        }

        var reader = new StreamReader(context.Console.Input, leaveOpen: true);
        return await Task.Run(() => reader.ReadToEndAsync(cancellationToken), cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public static void Write(CliContext context, KillReport report)
    {
        CommandRunner.Write(context, report, CliJsonContext.Default.KillReport);
    }
}

/// <summary>The options every disabling command shares.</summary>
internal sealed class KillCommandOptions
{
    public Option<bool> DryRun { get; } = new("--dry-run") { Description = "Decide and audit, but call no write endpoint." };

    public Option<string?> Reason { get; } = new("--reason") { Description = "Why, for the audit trail (default \"leaked\")." };

    public Option<string?> Incident { get; } = CommonOptions.Incident("Incident id tying the audit records together");

    public Option<string?> Environment { get; } = new("--environment") { Description = "The owner, when known: a configured environment or account name (skips the search)." };

    public void AddTo(Command command) => CommonOptions.AddTo(command, DryRun, Reason, Incident, Environment);

    public LeakDefaults Defaults(ParseResult parse, TimeProvider time) => new(
        CommonOptions.IncidentId(parse, Incident, time),
        parse.GetValue(Reason) ?? "leaked",
        parse.GetValue(Environment),
        time.GetUtcNow());
}
