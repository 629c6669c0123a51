using System.Collections.Concurrent;
using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace TokenFunctions.Benchmarks.Cli;

/// <summary>
/// The benchmark process's peak working set, recorded in a [GlobalCleanup] (in-process toolchain: same process as the
/// summary). BenchmarkDotNet's own footprint is included, so it is an upper bound for the code under test.
/// </summary>
public sealed class PeakMemoryColumn(string key) : IColumn
{
    private static readonly ConcurrentDictionary<string, long> Peaks = new(StringComparer.Ordinal);

    public string Id => nameof(PeakMemoryColumn) + key;

    public string ColumnName => "Peak working set (MB)";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 1;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Peak working set of the whole benchmark process after the benchmark, MB = 10^6 bytes.";

    public static void Record(string key, long bytes) => Peaks.AddOrUpdate(key, bytes, (_, old) => Math.Max(old, bytes));

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
        Peaks.TryGetValue(key, out var bytes) ? (bytes / 1e6).ToString("N0", CultureInfo.InvariantCulture) : "-";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
