using TokenFunctions.Cli;
using TokenFunctions.Cli.Console;

// Ctrl+C cancels the command; durable work (kill-switch progress, audit) is saved, so the same command resumes.
using var interrupt = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    interrupt.Cancel();
};

return await CliApp.RunAsync(args, CliConsole.FromSystem(), interrupt.Token).ConfigureAwait(false);
