using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace TokenFunctions.Benchmarks.Tokens;

/// <summary>Adds the throughput column and runs in-process.</summary>
public sealed class ThroughputConfig : ManualConfig
{
    public ThroughputConfig()
    {
        AddColumn(new ThroughputColumn());

        // In-process: a per-run rebuild of the whole solution exceeds BenchmarkDotNet's build timeout on a shared 2-core machine.
        AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithId("InProcess"));
    }
}
