using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using TokenFunctions.DynatraceSandbox;
using TokenFunctions.WorkerHost.Worker;

namespace TokenFunctions.Benchmarks.Hosting;

/// <summary>
/// A cold start as the host sees it: the worker process started, handshake and all twelve functions loaded, then the
/// first request (a signed webhook disabling a token, no added latency) answered. The process is stopped outside the
/// measurement.
/// </summary>
[Config(typeof(Config))]
public class WorkerStartBenchmarks
{
    private HostedBench _bench = null!;
    private FunctionsTestHost? _host;

    [GlobalSetup]
    public void Setup() => _bench = HostedBench.StartAsync().GetAwaiter().GetResult();

    [IterationCleanup]
    public void StopWorker()
    {
        _host?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _host = null;
    }

    [GlobalCleanup]
    public void Cleanup() => _bench.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Description = "Worker process start -> functions loaded -> first webhook answered")]
    public async Task StartToFirstResponse()
    {
        var token = _bench.Environment.AddToken(new SandboxApiTokenSeed { Name = "first-request" });
        _host = await _bench.StartWorkerAsync();
        using var client = _host.CreateHttpClient();
        await _bench.DisableThroughAsync(client, token);
    }

    private sealed class Config : ManualConfig
    {
        public Config() => AddJob(Job.Default
            .WithStrategy(RunStrategy.Monitoring)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithWarmupCount(1)
            .WithIterationCount(10)
            .WithId("10 cold starts")
            // In-process: BenchmarkDotNet's own process; the worker is a child process either way.
            .WithToolchain(InProcessEmitToolchain.Instance));
    }
}
