using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace TokenFunctions.Benchmarks.Tokens;

/// <summary>How many characters of input one invocation processes, for the throughput column.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ThroughputCharsAttribute(long chars) : Attribute
{
    public long Chars { get; } = chars;
}

/// <summary>Input characters per second (MB = 10^6 characters; for ASCII text that is UTF-8 megabytes, half the UTF-16 bytes).</summary>
public sealed class ThroughputColumn : IColumn
{
    public string Id => nameof(ThroughputColumn);

    public string ColumnName => "Throughput (MB chars/s)";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Millions of input characters per second (UTF-16 bytes/s is twice this).";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var chars = benchmarkCase.Descriptor.WorkloadMethod.GetCustomAttribute<ThroughputCharsAttribute>()?.Chars;
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return chars is null || mean is null or 0
            ? "-"
            : (chars.Value / (mean.Value / 1e9) / 1e6).ToString("N0", CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}

public sealed class ThroughputConfig : ManualConfig
{
    public ThroughputConfig()
    {
        AddColumn(new ThroughputColumn());

        // In-process: a per-run rebuild of the whole solution exceeds BenchmarkDotNet's build timeout on a shared 2-core machine.
        AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithId("InProcess"));
    }
}
