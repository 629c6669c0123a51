using System.CommandLine;
using System.CommandLine.Invocation;
using TokenFunctions.Cli.Commands;
using TokenFunctions.Cli.Console;
using TokenFunctions.Cli.Errors;
using TokenFunctions.Cli.Hosting;
using TokenFunctions.Cli.Output;

namespace TokenFunctions.Cli;

/// <summary>The <c>tokenfunctions</c> command line: parsing by System.CommandLine, work by the engine.</summary>
public static class CliApp
{
    /// <summary>Runs one command line; tests call this with captured writers.</summary>
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(console);
        var globals = new GlobalOptions();
        var root = CreateRoot(globals, console, time ?? TimeProvider.System);
        var parse = root.Parse(args);
        try
        {
            if (parse.Errors.Count > 0)
            {
                return ReportParseErrors(parse, globals, console);
            }

            return await parse.InvokeAsync(
                new InvocationConfiguration { Output = console.Out, Error = console.Error, ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false },
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await console.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            await console.Error.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    internal static Command CreateRoot(GlobalOptions globals, CliConsole console, TimeProvider time)
    {
        // A named root rather than RootCommand, whose name is the entry assembly's ("TokenFunctions.Cli" for the installed
        // tool, the test host in tests): usage lines must say the command a user types.
        var root = new Command(CliIdentity.Name, $"""
            TokenFunctions break-glass CLI: kill leaked Dynatrace tokens, scan for them, run kill-switches, enable, rotate,
            read the audit trail and check the deployment, with the function app's engine and settings.
            Exit codes (0-5 as in dtctl): 0 ok, 1 error, 2 usage, 3 authentication, 4 not found, 5 permission,
            6 configuration, 7 unreachable, 8 needs a human, 9 confirmation required (--yes), 10 scan incomplete,
            130 interrupted. Mixed outcomes: the first in the order 130, 2, 6, 3, 5, 7, 1, 8, 4, 9, 10.

            First run (no Azure, no Dynatrace needed):
              {CliIdentity.Command("demo")}
            """);
        var defaults = new RootCommand();
        foreach (var option in defaults.Options)
        {
            root.Options.Add(option);
        }

        globals.AddTo(root);
        var runner = new CommandRunner(globals, console, time);
        root.Subcommands.Add(KillCommand.Create(runner));
        root.Subcommands.Add(ScanCommand.Create(runner));
        root.Subcommands.Add(KillSwitchCommand.Create(runner));
        root.Subcommands.Add(EnableCommand.Create(runner));
        root.Subcommands.Add(RotateCommand.Create(runner));
        root.Subcommands.Add(AuditCommand.Create(runner));
        root.Subcommands.Add(StatusCommand.Create(runner));
        root.Subcommands.Add(SandboxCommand.Create(runner));
        root.Subcommands.Add(DemoCommand.Create(runner));
        return root;
    }

    /// <summary>The parser's errors, its "did you mean" for a mistyped command or option, and where help is.</summary>
    private static int ReportParseErrors(ParseResult parse, GlobalOptions globals, CliConsole console)
    {
        var errors = parse.Errors.Select(e => e.Message).ToList();
        if (errors.Count > 1)
        {
            // A mistyped command also leaves the root without one; the unrecognised token is the news.
            errors.RemoveAll(e => e.StartsWith("Required command was not provided", StringComparison.Ordinal));
        }

        var suggestions = new StringWriter();
        parse.InvocationConfiguration.Output = suggestions;
        parse.InvocationConfiguration.Error = TextWriter.Null;
        new ParseErrorAction { ShowHelp = false, ShowTypoCorrections = true }.Invoke(parse);
        var typo = suggestions.ToString().Trim();

        var message = string.Join(" ", errors) + (typo.Length > 0 ? " " + typo.ReplaceLineEndings(" ") : string.Empty);
        var json = false;
        try
        {
            json = parse.GetValue(globals.Output) == OutputFormat.Json;
        }
        catch (InvalidOperationException)
        {
            // The output option itself is what failed to parse: table it is.
        }

        foreach (var error in errors)
        {
            console.Error.WriteLine("error: " + error);
        }

        if (typo.Length > 0)
        {
            console.Error.WriteLine(typo);
        }

        console.Error.WriteLine($"Run '{CliIdentity.Name} --help' or '{CliIdentity.Name} <command> --help' for usage.");
        if (json)
        {
            CommandRunner.Report(new CliConsole(console.Out, TextWriter.Null, Stream.Null), json: true, verbose: false, CliException.Usage(message));
        }

        return ExitCodes.Usage;
    }
}
