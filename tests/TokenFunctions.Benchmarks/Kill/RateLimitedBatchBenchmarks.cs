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
/// (d) A 10,000-token kill-switch in one environment whose sandbox enforces a token bucket of R = 1,000 requests/s
/// (burst 10, 429 with <c>X-RateLimit-Reset</c> beyond it). The engine is told the limit
/// (<c>KillSwitch:MaxRequestsPerSecondPerEnvironment</c> = R) and paces itself. Ideal: 10,000 / R = 10 s; goal at most 1.1x.
/// <c>Burst</c> is the bucket's capacity: with 1 (no burst at all) timer jitter makes paced requests collide, and each
/// 429 costs the client's 10–100 ms retry jitter, so that case is far slower (docs/dynatrace.md, retries).
/// </summary>
[Config(typeof(Config))]
public class RateLimitedBatchBenchmarks
{
    public const int Tokens = 10_000;
    public const double RatePerSecond = 1_000;

    private KillBench _bench = null!;
    private SandboxEnvironment _environment = null!;
    private IReadOnlyList<SandboxIssuedToken> _tokens = [];
    private Leak[] _leaks = [];

    [Params(10)]
    public int Burst { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _bench = KillBench.StartAsync(1, new Dictionary<string, string?>
        {
            ["KillSwitch:MaxRequestsPerSecondPerEnvironment"] = RatePerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).GetAwaiter().GetResult();
        _environment = _bench.Environments[0].Environment;
        _tokens = _environment.AddTokens(Tokens);
        _leaks = [.. _tokens.Select(t => KillBench.LeakOf(t))];
    }

    [IterationSetup]
    public void ReEnable()
    {
        _environment.Faults.ClearRateLimit();
        foreach (var t in _tokens)
        {
            _environment.SetEnabled(t.Id, true);
        }

        _bench.Sandbox.ResetCounters();
        _environment.Faults.SetRateLimit(RatePerSecond, Burst, SandboxRateLimitHint.RateLimitReset);
    }

    [IterationCleanup]
    public void Report() => Console.WriteLine(
        $"// sandbox: {_environment.CallCount(SandboxEndpoint.ApiTokensUpdate)} PUTs for {Tokens} tokens ({_environment.CallCount(SandboxEndpoint.ApiTokensUpdate) - Tokens} answered 429), {_environment.CallCount(SandboxEndpoint.ApiTokensList)} list calls");

    [GlobalCleanup]
    public void Cleanup() => _bench.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Description = "Engine, 10,000 tokens at R = 1,000/s")]
    public async Task EngineUnderRateLimit()
    {
        var result = await _bench.Kill.DisableAsync(new KillRequest(_leaks), CancellationToken.None);
        if (result.Count(TokenOutcomeKind.Disabled) != Tokens)
        {
            throw new InvalidOperationException($"Only {result.Count(TokenOutcomeKind.Disabled)} disabled.");
        }
    }

    private sealed class Config : ManualConfig
    {
        public Config() => AddJob(Job.Default
            .WithStrategy(RunStrategy.Monitoring)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithWarmupCount(1)
            .WithIterationCount(5)
            .WithId("5x10k")
            // In-process: the sandbox runs in the same process anyway, and a per-run rebuild of the solution exceeds BenchmarkDotNet\'s build timeout on a shared 2-core machine.
            .WithToolchain(InProcessEmitToolchain.Instance));
    }
}
