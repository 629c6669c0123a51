using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace TokenFunctions.Benchmarks.Tokens;

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
