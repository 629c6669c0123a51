using System.Text;
using BenchmarkDotNet.Attributes;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Benchmarks.Tokens;

/// <summary>
/// Scanning throughput over a 10 MiB log (10,485,760 characters, all ASCII: 10 MiB as UTF-8, 20 MiB as UTF-16 in memory)
/// with one token every ~100 KiB. The <c>Throughput</c> column counts log characters (= UTF-8 bytes) per second.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public class TokenScanBenchmarks
{
    public const int LogChars = 10 * 1024 * 1024;

    private string _log = string.Empty;
    private byte[] _utf8 = [];
    private int _expected;

    [GlobalSetup]
    public void Setup()
    {
        _log = SyntheticLog.Build(LogChars, tokenEvery: 100 * 1024, out _expected);
        _utf8 = Encoding.UTF8.GetBytes(_log);
        if (TokenScanner.Count(_log) != _expected || TokenScanner.Count(_utf8) != _expected || _utf8.Length != LogChars)
        {
            throw new InvalidOperationException("Synthetic log is not what the benchmark claims.");
        }
    }

    [Benchmark(Baseline = true, Description = "Scan UTF-16 string (count matches)")]
    [ThroughputChars(LogChars)]
    public int ScanUtf16() => TokenScanner.Count(_log);

    [Benchmark(Description = "Scan UTF-8 bytes (count matches)")]
    [ThroughputChars(LogChars)]
    public int ScanUtf8() => TokenScanner.Count(_utf8);

    [Benchmark(Description = "Scan UTF-16, materialise ids + fingerprints")]
    [ThroughputChars(LogChars)]
    public int FindSecretsUtf16() => TokenScanner.FindSecrets(_log).Count();

    [Benchmark(Description = "Redaction.Redact (lenient, case-insensitive)")]
    [ThroughputChars(LogChars)]
    public int Redact() => Redaction.Redact(_log)!.Length;
}
