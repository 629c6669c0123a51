using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using TokenFunctions.Benchmarks.Kill;
using TokenFunctions.DynatraceSandbox;
using TokenFunctions.WorkerHost.Worker;

namespace TokenFunctions.Benchmarks.Hosting;

/// <summary>
/// A signed generic-scanner webhook carrying one leaked classic token, until the token is disabled, with every sandbox
/// request taking 20 ms (the owner is unknown: both environments are asked, then one PUT): through the running worker
/// (host → gRPC invocation + HTTP forward → worker → engine) against the same engine composition in process behind the
/// same kind of loopback HTTP route. Goal: the worker at most 1.1x the in-process call. Needs Azurite (the audit trail).
/// </summary>
[Config(typeof(Config))]
public class HostedWebhookBenchmarks
{
    private HostedBench _bench = null!;
    private FunctionsTestHost _host = null!;
    private HttpClient _worker = null!;
    private SandboxIssuedToken _token = null!;

    [GlobalSetup]
    public void Setup()
    {
        _bench = HostedBench.StartAsync().GetAwaiter().GetResult();
        _bench.StartInProcessAsync().GetAwaiter().GetResult();
        _host = _bench.StartWorkerAsync().GetAwaiter().GetResult();
        _worker = _host.CreateHttpClient();
        _token = _bench.Environment.AddToken(new SandboxApiTokenSeed { Name = "bench-leaked" });
        foreach (var environment in _bench.Sandbox.Environments)
        {
            environment.Faults.Latency = UnknownEnvironmentBenchmarks.RoundTrip;
        }
    }

    [IterationSetup]
    public void ReEnable() => _bench.Environment.SetEnabled(_token.Id, true);

    [GlobalCleanup]
    public void Cleanup()
    {
        _worker.Dispose();
        _host.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _bench.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "Signed webhook -> engine in process -> disabled")]
    public Task InProcess() => _bench.DisableThroughAsync(_bench.InProcessClient!, _token);

    [Benchmark(Description = "Signed webhook -> host -> running worker -> disabled")]
    public Task RunningWorker() => _bench.DisableThroughAsync(_worker, _token);

    /// <summary>The round-trip job, with median and minimum: on a shared machine the mean carries other people's load.</summary>
    private sealed class Config : ManualConfig
    {
        public Config()
        {
            Add(new RoundTripConfig());
            AddColumn(StatisticColumn.Median, StatisticColumn.Min);
        }
    }
}
