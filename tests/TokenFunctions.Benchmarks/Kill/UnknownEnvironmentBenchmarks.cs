using BenchmarkDotNet.Attributes;
using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;

namespace TokenFunctions.Benchmarks.Kill;

/// <summary>
/// (c) One leaked classic token whose environment is unknown, among 1, 5 or 20 environments, each answering after a fixed
/// injected latency of 20 ms so the round trip dominates. The owner is the last environment. The baseline is the
/// irreducible work done by hand: one lookup plus one PUT straight at the owner (two round trips). The engine asks every
/// environment at once, cancels the rest when the owner answers, then writes: the goal is at most 1.2x the baseline.
/// </summary>
[Config(typeof(RoundTripConfig))]
public class UnknownEnvironmentBenchmarks
{
    public static readonly TimeSpan RoundTrip = TimeSpan.FromMilliseconds(20);

    private KillBench _bench = null!;
    private SandboxIssuedToken _token = null!;
    private SandboxEnvironment _owner = null!;
    private Leak _leak = null!;

    [Params(1, 5, 20)]
    public int Environments { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _bench = KillBench.StartAsync(Environments).GetAwaiter().GetResult();
        _owner = _bench.Environments[^1].Environment;
        _token = _owner.AddToken();
        _leak = KillBench.LeakOf(_token);
        foreach (var (environment, _) in _bench.Environments)
        {
            environment.Faults.Latency = RoundTrip;
        }
    }

    [IterationSetup]
    public void ReEnable() => _owner.SetEnabled(_token.Id, true);

    [GlobalCleanup]
    public void Cleanup() => _bench.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "Bare lookup + PUT at the known owner")]
    public async Task BareAtOwner()
    {
        await _bench.BareLookupAsync(_bench.Environments.Count - 1, _token.Secret);
        await _bench.BarePutAsync(_bench.Environments.Count - 1, _token.Id);
    }

    [Benchmark(Description = "Engine, owner unknown")]
    public Task EngineUnknownOwner() => _bench.DisableOneAsync(_leak);
}
