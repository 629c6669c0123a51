using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;
using TokenFunctions.Engine.UnitTests.Fakes;

namespace TokenFunctions.Benchmarks.Kill;

/// <summary>
/// (b) Engine overhead per disable against the same loopback sandbox endpoint as a bare <see cref="HttpClient"/> PUT.
/// Each invocation disables 200 freshly re-enabled tokens of one environment. A single-token request is a read (lookup:
/// AlreadyDisabled check, blast radius) plus the PUT, so it is compared with the same two bare requests; a batch lists the
/// environment once and then only PUTs, so it is compared with bare PUTs at the same parallelism (8).
/// </summary>
[Config(typeof(Config))]
public class DisableOverheadBenchmarks
{
    private const int Tokens = 200;
    private KillBench _bench = null!;
    private IReadOnlyList<SandboxIssuedToken> _tokens = [];
    private Leak[] _leaks = [];

    [GlobalSetup]
    public void Setup()
    {
        _bench = KillBench.StartAsync(1, new Dictionary<string, string?> { ["KillSwitch:InventoryThreshold"] = "50" }).GetAwaiter().GetResult();
        _tokens = _bench.Environments[0].Environment.AddTokens(Tokens);
        _leaks = [.. _tokens.Select(t => KillBench.LeakOf(t, "env1"))];
    }

    [IterationSetup]
    public void ReEnable()
    {
        foreach (var t in _tokens)
        {
            _bench.Environments[0].Environment.SetEnabled(t.Id, true);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _bench.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "Bare PUT x200, sequential")]
    public async Task BarePutSequential()
    {
        foreach (var t in _tokens)
        {
            await _bench.BarePutAsync(0, t.Id);
        }
    }

    [Benchmark(Description = "Bare lookup+PUT x200, sequential")]
    public async Task BareLookupAndPutSequential()
    {
        foreach (var t in _tokens)
        {
            await _bench.BareLookupAsync(0, t.Secret);
            await _bench.BarePutAsync(0, t.Id);
        }
    }

    [Benchmark(Description = "Engine, 200 single-token requests, sequential")]
    public async Task EngineSingleTokenSequential()
    {
        foreach (var leak in _leaks)
        {
            var result = await _bench.Kill.DisableAsync(new KillRequest([leak]), CancellationToken.None);
            Check(result, 1);
        }
    }

    [Benchmark(Description = "Bare PUT x200, 8 in parallel")]
    public async Task BarePutParallel() =>
        await Parallel.ForEachAsync(_tokens, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (t, _) => await _bench.BarePutAsync(0, t.Id));

    [Benchmark(Description = "Bare list + PUT x200, 8 in parallel")]
    public async Task BareListAndPutParallel()
    {
        await _bench.BareListAsync(0);
        await Parallel.ForEachAsync(_tokens, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (t, _) => await _bench.BarePutAsync(0, t.Id));
    }

    [Benchmark(Description = "Engine, one 200-token batch (list + PUTs, 8 per environment)")]
    public async Task EngineBatch() => Check(await _bench.Kill.DisableAsync(new KillRequest(_leaks), CancellationToken.None), Tokens);

    private static void Check(KillResult result, int expected)
    {
        if (result.Count(TokenOutcomeKind.Disabled) != expected)
        {
            throw new InvalidOperationException($"Expected {expected} disabled, got {string.Join(", ", result.Outcomes.Select(o => o.Outcome))}");
        }
    }

    private sealed class Config : ManualConfig
    {
        public Config() => AddJob(Job.Default
            .WithStrategy(RunStrategy.Monitoring)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithWarmupCount(5)
            .WithIterationCount(30)
            .WithId("30x200")
            // In-process: the sandbox runs in the same process anyway, and a per-run rebuild of the solution exceeds BenchmarkDotNet\'s build timeout on a shared 2-core machine.
            .WithToolchain(InProcessEmitToolchain.Instance));
    }
}
