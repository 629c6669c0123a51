using System.Diagnostics;

namespace TokenFunctions.Cli.Tests.Support;

/// <summary>
/// The CLI as its own process (<c>dotnet TokenFunctions.Cli.dll</c> from this test's output folder, or from a copy of it
/// elsewhere), for what only a process shows: the working folder's appsettings.json, and how a copy outside the clone names itself.
/// </summary>
public static class CliProcess
{
    public static async Task<CliResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        await RunFromAsync(AppContext.BaseDirectory, workingDirectory, environment, args);

    public static async Task<CliResult> RunFromAsync(string binFolder, string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(Path.Combine(binFolder, "TokenFunctions.Cli.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return new CliResult(process.ExitCode, await output, await error);
    }
}
