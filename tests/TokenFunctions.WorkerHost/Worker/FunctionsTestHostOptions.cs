namespace TokenFunctions.WorkerHost.Worker;

public sealed record FunctionsTestHostOptions
{
    /// <summary>The built function app (its build output: the app's dll, <c>functions.metadata</c>, <c>host.json</c>).</summary>
    public required string AppDirectory { get; init; }

    /// <summary>The app's assembly; the one the Functions host starts.</summary>
    public string AssemblyName { get; init; } = "TokenFunctions.dll";

    /// <summary>App settings, as <c>local.settings.json</c> <c>Values</c> or configuration keys (<c>:</c> or <c>__</c>).</summary>
    public required IReadOnlyDictionary<string, string?> Settings { get; init; }

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>How long the host waits for one invocation before it reports it failed.</summary>
    public TimeSpan InvocationTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Timestamps of recorded settlements.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
