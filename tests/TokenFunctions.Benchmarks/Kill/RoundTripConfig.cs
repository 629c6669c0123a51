using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace TokenFunctions.Benchmarks.Kill;

/// <summary>One kill per invocation, 30 measured after 5 warm-ups: for the single-token round-trip benchmarks.</summary>
public sealed class RoundTripConfig : ManualConfig
{
    public RoundTripConfig() => AddJob(Job.Default
        .WithStrategy(RunStrategy.Monitoring)
        .WithInvocationCount(1)
        .WithUnrollFactor(1)
        .WithWarmupCount(5)
        .WithIterationCount(30)
        .WithId("30x1")
        // In-process: the sandbox runs in the same process anyway, and a per-run rebuild of the solution exceeds BenchmarkDotNet's build timeout on a shared 2-core machine.
        .WithToolchain(InProcessEmitToolchain.Instance));
}
