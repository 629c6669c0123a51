using System.Collections.Concurrent;
using System.Diagnostics;

namespace TokenFunctions.WorkerHost.Worker;

/// <summary>
/// The function app's worker as the Functions host starts it: <c>dotnet &lt;app&gt;.dll --functions-uri … --functions-worker-id …
/// --functions-request-id … --functions-grpc-max-message-length …</c>, working directory = the build output, the app
/// settings as environment variables (<c>:</c> as <c>__</c>) plus <c>FUNCTIONS_APPLICATION_DIRECTORY</c>, and nothing
/// else from the test process's environment but what the runtime needs. Its stdout and stderr go to the
/// <see cref="WorkerLog"/>.
/// A started worker is always stopped: on dispose, when the test process exits, and (on Linux) by a watchdog that kills
/// it if the test process is killed outright, since the worker itself never exits when its host goes away.
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, Process> Live = new();
    private static int s_exitHookInstalled;

    private readonly Process _process;
    private readonly Process? _watchdog;
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkerProcess(string workerId, Process process, Process? watchdog)
    {
        WorkerId = workerId;
        _process = process;
        _watchdog = watchdog;
    }

    public string WorkerId { get; }

    public int ProcessId => _process.Id;

    /// <summary>Completes when the process has exited.</summary>
    public Task Exited => _exited.Task;

    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>The exit code, once exited.</summary>
    public int? ExitCode => HasExited ? _process.ExitCode : null;

    internal static WorkerProcess Start(string appDirectory, string assemblyName, Uri hostUri, string workerId, IReadOnlyDictionary<string, string?> settings, WorkerLog log)
    {
        InstallExitHook();
        var startInfo = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = appDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[Path.Combine(appDirectory, assemblyName), "--functions-uri", hostUri.AbsoluteUri, "--functions-worker-id", workerId,
            "--functions-request-id", Guid.NewGuid().ToString(), "--functions-grpc-max-message-length", int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            startInfo.ArgumentList.Add(argument);
        }

        var inherited = startInfo.Environment.Where(e => KeepFromTestProcess(e.Key)).ToList();
        startInfo.Environment.Clear();
        foreach (var (key, value) in inherited)
        {
            startInfo.Environment[key] = value;
        }

        foreach (var (key, value) in settings)
        {
            startInfo.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        startInfo.Environment["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        startInfo.Environment["FUNCTIONS_APPLICATION_DIRECTORY"] = appDirectory;

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Line(e.Data, "stdout", LogLevelOf(e.Data));
        process.ErrorDataReceived += (_, e) => Line(e.Data, "stderr", "Error");
        if (!process.Start())
        {
            throw new InvalidOperationException("The worker process did not start.");
        }

        Live[process.Id] = process;
        var worker = new WorkerProcess(workerId, process, StartWatchdog(process.Id));
        process.Exited += (_, _) => worker.OnExited();
        if (process.HasExited)
        {
            worker.OnExited();
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;

        void Line(string? text, string source, string level)
        {
            if (text is not null)
            {
                log.Add(new WorkerLogLine(workerId, source, level, null, text, null));
            }
        }
    }

    /// <summary>Kills the worker at once (SIGKILL), as a crash or a scale-in would: no graceful shutdown.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await Exited.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _process.Dispose();
        if (_watchdog is not null)
        {
            try
            {
                _watchdog.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }

            _watchdog.Dispose();
        }
    }

    private void OnExited()
    {
        Live.TryRemove(_process.Id, out _);
        _exited.TrySetResult();
    }

    private static string LogLevelOf(string? line) => line is not null && line.Contains("fail:", StringComparison.Ordinal) ? "Error" : "Information";

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>What the .NET runtime needs to start; app settings never come from the test process.</summary>
    private static bool KeepFromTestProcess(string name) =>
        name is "PATH" or "HOME" or "TMPDIR" or "LANG" or "USER"
        || name.StartsWith("DOTNET_", StringComparison.Ordinal)
        || name.StartsWith("COMPlus_", StringComparison.Ordinal);

    /// <summary>
    /// Kills the worker when the test process dies without running its exit handlers (a SIGKILL on an aborted test run).
    /// <c>tail --pid</c> waits for a process to end without a loop of our own.
    /// </summary>
    private static Process? StartWatchdog(int workerPid)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var startInfo = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["-c", "tail --pid=\"$0\" -f /dev/null; kill -9 \"$1\" 2>/dev/null", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), workerPid.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            startInfo.ArgumentList.Add(argument);
        }

        try
        {
            return Process.Start(startInfo);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static void InstallExitHook()
    {
        if (Interlocked.Exchange(ref s_exitHookInstalled, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                foreach (var process in Live.Values)
                {
                    try
                    {
                        process.Kill(entireProcessTree: true);
                    }
                    catch (InvalidOperationException)
                    {
                        // Already exited.
                    }
                }
            };
        }
    }
}
