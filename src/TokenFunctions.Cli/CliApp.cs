using System.CommandLine;
using TokenFunctions.Cli.Commands;
using TokenFunctions.Cli.Console;
using TokenFunctions.Cli.Hosting;

namespace TokenFunctions.Cli;

/// <summary>The <c>tokenfunctions</c> command line: parsing by System.CommandLine, work by the engine.</summary>
public static class CliApp
{
    /// <summary>Runs one command line; tests call this with captured writers.</summary>
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(console);
        var root = CreateRoot(console, time ?? TimeProvider.System);
        var parse = root.Parse(args);
        try
        {
            if (parse.Errors.Count > 0)
            {
                foreach (var error in parse.Errors)
                {
                    console.Error.WriteLine("error: " + error.Message);
                }

                console.Error.WriteLine("Run 'tokenfunctions --help' or 'tokenfunctions <command> --help' for usage.");
                return ExitCodes.Usage;
            }

            return await parse.InvokeAsync(
                new InvocationConfiguration { Output = console.Out, Error = console.Error, ProcessTerminationTimeout = null },
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await console.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            await console.Error.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    internal static RootCommand CreateRoot(CliConsole console, TimeProvider time)
    {
        var globals = new GlobalOptions();
        var root = new RootCommand("""
            TokenFunctions break-glass CLI: kill leaked Dynatrace tokens, scan for them, run kill-switches, enable, rotate,
            read the audit trail and check the deployment, with the function app's engine and settings.
            Exit codes: 0 ok, 1 needs a human or failed, 2 usage error, 3 confirmation required (--yes), 4 configuration error, 130 interrupted.

            First run (no Azure, no Dynatrace needed):
              dotnet run --project src/TokenFunctions.Cli -- demo
            """);
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
}
