using System.Diagnostics;

namespace TokenFunctions.Repository.Tests.Infra;

/// <summary>What a finished command printed and returned.</summary>
internal sealed record ProcessResult(string Command, int ExitCode, string StdOut, string StdErr)
{
    /// <summary>Both streams, for failure messages.</summary>
    public string Transcript => $"$ {Command}\nexit code {ExitCode}\n--- stdout ---\n{StdOut}\n--- stderr ---\n{StdErr}";
}

/// <summary>Runs a command line tool to completion and captures its output.</summary>
internal static class ExternalProcess
{
    /// <summary>Generous: a cold Bicep start on a busy two-core machine takes a few seconds, never minutes.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IReadOnlyList<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string?>? environment = null,
        CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var command = $"{Path.GetFileName(fileName)} {string.Join(' ', arguments)}";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {command}.");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Limit);
        var stdout = process.StandardOutput.ReadToEndAsync(limit.Token);
        var stderr = process.StandardError.ReadToEndAsync(limit.Token);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} did not finish within {Limit} (or the test run was cancelled).");
        }

        return new ProcessResult(command, process.ExitCode, await stdout, await stderr);
    }
}
