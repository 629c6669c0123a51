using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TokenFunctions.Hosting;

namespace TokenFunctions.Functions.Tests.Hosting;

/// <summary>
/// The function app's host exactly as <c>Program.cs</c> builds it (<see cref="FunctionsApplication.CreateBuilder(string[])"/>
/// then <c>AddTokenFunctions()</c>), fed the sample settings plus a test's overrides, with a capturing log provider added
/// after the composition root (as a library's provider would be). Built, not started: starting needs the Functions host's gRPC channel.
/// </summary>
internal sealed class FunctionAppHost : IDisposable
{
    private FunctionAppHost(IHost host, CapturedLogs logs)
    {
        Host = host;
        Logs = logs;
    }

    public IHost Host { get; }

    public IServiceProvider Services => Host.Services;

    public CapturedLogs Logs { get; }

    /// <param name="services">Registrations after the composition root's, replacing what cannot run here (a test's only hook).</param>
    public static FunctionAppHost Build(IReadOnlyDictionary<string, string?>? overrides = null, Action<IServiceCollection>? services = null)
    {
        var settings = new Dictionary<string, string?>(SampleSettings.Values, StringComparer.OrdinalIgnoreCase)
        {
            // What the Functions host passes the worker at start-up; a closed loopback port, as nothing is started.
            ["Functions:Worker:HostEndpoint"] = "http://127.0.0.1:9",
            ["Functions:Worker:WorkerId"] = "tests",
            ["Functions:Worker:RequestId"] = "tests",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddTokenFunctions();
        services?.Invoke(builder.Services);

        var logs = new CapturedLogs();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddProvider(logs);
        return new FunctionAppHost(builder.Build(), logs);
    }

    /// <summary>An instance of a function class, built the way the worker builds it: its constructor's parameters from the container.</summary>
    public T Function<T>()
        where T : class => ActivatorUtilities.CreateInstance<T>(Services);

    public void Dispose() => Host.Dispose();
}
