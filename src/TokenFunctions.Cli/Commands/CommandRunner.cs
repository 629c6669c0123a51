using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using TokenFunctions.Cli.Console;
using TokenFunctions.Cli.Errors;
using TokenFunctions.Cli.Hosting;
using TokenFunctions.Cli.Output;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Cli.Commands;

/// <summary>Runs a command's action and turns whatever it throws into one typed error: a line on stderr, an exit code, and with <c>-o json</c> an error document.</summary>
internal sealed class CommandRunner(GlobalOptions globals, CliConsole console, TimeProvider time)
{
    public void SetAction(Command command, Func<CliContext, ParseResult, CancellationToken, Task<int>> run)
    {
        command.SetAction((parse, cancellationToken) => RunAsync(parse, run, cancellationToken));
    }

    public static void WriteJson<T>(CliContext context, T value, JsonTypeInfo<T> type) =>
        context.Console.Out.WriteLine(JsonSerializer.Serialize(value, type));

    /// <summary>The result on stdout: its table, or with <c>--output json</c> one JSON document.</summary>
    public static void Write<T>(CliContext context, T report, JsonTypeInfo<T> type)
        where T : ITableReport
    {
        if (context.Json)
        {
            WriteJson(context, report, type);
        }
        else
        {
            report.WriteTable(context.Console.Out);
        }
    }

    /// <summary>
    /// One failure: "error: …" on stderr (the stack trace only with <c>-v</c>), the error document on stdout with
    /// <c>-o json</c>, and its exit code.
    /// </summary>
    public static int Report(CliConsole console, bool json, bool verbose, CliException error)
    {
        console.Error.WriteLine((error.Kind == CliErrorKind.Interrupted ? "interrupted: " : "error: ") + error.Message);
        if (error.Kind == CliErrorKind.Error && error.InnerException is { } bug)
        {
            console.Error.WriteLine(verbose ? Redaction.Redact(bug.ToString()) : "Run the command again with -v for the details.");
        }
        else if (verbose && error.InnerException is { } cause)
        {
            console.Error.WriteLine(Redaction.Redact(cause.ToString()));
        }

        var code = ExitCodes.Of(error.Kind);
        if (json)
        {
            console.Out.WriteLine(JsonSerializer.Serialize(new ErrorReport(new ErrorDetail(ErrorCodes.Of(error.Kind), error.Message, code)), CliJsonContext.Default.ErrorReport));
        }

        return code;
    }

    private async Task<int> RunAsync(ParseResult parse, Func<CliContext, ParseResult, CancellationToken, Task<int>> run, CancellationToken cancellationToken)
    {
        var context = CliContext.From(parse, globals, console, time);
        int code;
        try
        {
            code = await run(context, parse, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            code = Report(console, context.Json, context.Verbose, ErrorTranslator.Translate(ex, context, cancellationToken.IsCancellationRequested));
        }

        // Only when that is the verdict: a request the engine cancelled itself (the owner was found elsewhere) is no news.
        foreach (var (target, reason) in code == ExitCodes.Unreachable ? context.Unanswered.Failed : [])
        {
            console.Error.WriteLine($"unreachable: {target}: {reason}.");
        }

        return code;
    }
}
