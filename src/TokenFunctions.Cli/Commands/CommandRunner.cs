using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using TokenFunctions.Cli.Console;
using TokenFunctions.Cli.Hosting;
using TokenFunctions.Cli.Output;
using TokenFunctions.Engine.Dynatrace.Credentials;

namespace TokenFunctions.Cli.Commands;

/// <summary>Turns a command's typed failures into exit codes and one redacted line on stderr.</summary>
internal sealed class CommandRunner(GlobalOptions globals, CliConsole console, TimeProvider time)
{
    public GlobalOptions Globals => globals;

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

    private async Task<int> RunAsync(ParseResult parse, Func<CliContext, ParseResult, CancellationToken, Task<int>> run, CancellationToken cancellationToken)
    {
        var context = CliContext.From(parse, globals, console, time);
        try
        {
            return await run(context, parse, cancellationToken).ConfigureAwait(false);
        }
        catch (CliUsageException ex)
        {
            console.Error.WriteLine("error: " + ex.Message);
            return ExitCodes.Usage;
        }
        catch (CliConfigurationException ex)
        {
            console.Error.WriteLine("configuration: " + ex.Message);
            return ExitCodes.Configuration;
        }
        catch (ManagementCredentialUnavailableException ex)
        {
            console.Error.WriteLine("configuration: a management credential is unavailable: " + ex.Message);
            return ExitCodes.Configuration;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            console.Error.WriteLine("interrupted: durable progress is kept; run the same command again to resume.");
            return ExitCodes.Interrupted;
        }
        catch (InvalidOperationException ex) when (ex.Message.Contains("configured", StringComparison.OrdinalIgnoreCase) || ex.Message.Contains("KeyVault", StringComparison.Ordinal))
        {
            // The engine's registrations say what is missing in these messages ("… is not configured", "need KeyVault:VaultUri").
            console.Error.WriteLine("configuration: " + ex.Message);
            return ExitCodes.Configuration;
        }
    }
}
