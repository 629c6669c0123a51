using BenchmarkDotNet.Attributes;
using TokenFunctions.Benchmarks.Tokens;
using TokenFunctions.Cli;
using TokenFunctions.Cli.Console;
using TokenFunctions.Cli.Scanning;

namespace TokenFunctions.Benchmarks.Cli;

/// <summary>
/// <c>tokenfunctions scan</c> over a 100 MiB tree (200 synthetic logs of 512 KiB in 10 folders, one token every ~100 KiB),
/// generated in a temp folder: the whole command (enumeration, parallel reads, recognition, line numbers, JSON report)
/// and the scanner alone. Files are in the page cache after the first iteration, so this is the CLI's own cost, not the disk's.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public class ScanTreeBenchmarks
{
    public const int Files = 200;
    public const int FileChars = 512 * 1024;
    public const long TreeBytes = (long)Files * FileChars;

    private string _root = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _root = Directory.CreateTempSubdirectory("tokenfunctions-scan-bench-").FullName;
        for (var i = 0; i < Files; i++)
        {
            var folder = Directory.CreateDirectory(Path.Combine(_root, "service" + (i % 10), "logs")).FullName;

            // Each file its own tokens: the log generator is deterministic per seed, so offset the content by the index.
            var log = SyntheticLog.Build(FileChars + i, tokenEvery: 100 * 1024, out _);
            File.WriteAllText(Path.Combine(folder, $"app-{i}.log"), log[i..(FileChars + i)]);
        }

        var found = ScanTree().GetAwaiter().GetResult();
        if (found == 0 || Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) != TreeBytes)
        {
            throw new InvalidOperationException("The generated tree is not what the benchmark claims.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_root, recursive: true);

    [Benchmark(Baseline = true, Description = "tokenfunctions scan <100 MiB tree> -o json")]
    [ThroughputChars(TreeBytes)]
    public async Task<int> ScanCommand()
    {
        var console = new CliConsole(TextWriter.Null, TextWriter.Null, Stream.Null);
        return await CliApp.RunAsync(["scan", _root, "-o", "json"], console, CancellationToken.None);
    }

    [Benchmark(Description = "TreeScanner alone (enumerate + scan)")]
    [ThroughputChars(TreeBytes)]
    public Task<int> ScanTree() => ScanTreeAsync(_root);

    private static async Task<int> ScanTreeAsync(string root)
    {
        var result = await Task.Run(() => new TreeScanner().ScanFiles(TreeScanner.Plan([root]), CancellationToken.None));
        return result.Findings.Count;
    }
}
