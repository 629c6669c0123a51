using System.Diagnostics;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using TokenFunctions.Benchmarks.Tokens;
using TokenFunctions.Cli;
using TokenFunctions.Cli.Console;

namespace TokenFunctions.Benchmarks.Cli;

/// <summary>
/// The whole <c>tokenfunctions scan … -o json</c> command over 1 GiB: a tree of 64 synthetic logs of 16 MiB (files in the
/// page cache after the first read, so this is the CLI's cost, not the disk's), and the same GiB on stdin from a stream
/// that replays one 16 MiB log (nothing of that size is held). Peak working set is the whole benchmark process's
/// (BenchmarkDotNet included), read after each benchmark: the scanner's own memory is its buffers, 1 MiB per core.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class ScanGigabyteBenchmarks
{
    public const int Files = 64;
    public const int FileBytes = 16 * 1024 * 1024;
    public const long TotalBytes = (long)Files * FileBytes;

    private string _root = string.Empty;
    private byte[] _log = [];
    private int _expected;

    [GlobalSetup]
    public void Setup()
    {
        // One MiB of log, sixteen times over: building 16 MiB of text at once would itself raise the peak being measured.
        var mebibyte = Encoding.ASCII.GetBytes(SyntheticLog.Build(1024 * 1024, tokenEvery: 256 * 1024, out _expected)[..(1024 * 1024)]);
        _log = new byte[FileBytes];
        for (var offset = 0; offset < FileBytes; offset += mebibyte.Length)
        {
            mebibyte.CopyTo(_log, offset);
        }

        _root = Directory.CreateTempSubdirectory("tokenfunctions-scan-gib-").FullName;
        for (var i = 0; i < Files; i++)
        {
            File.WriteAllBytes(Path.Combine(_root, $"app-{i:00}.log"), _log);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        PeakMemoryColumn.Record(nameof(ScanGigabyteBenchmarks), Process.GetCurrentProcess().PeakWorkingSet64);
        Directory.Delete(_root, recursive: true);
    }

    [Benchmark(Description = "tokenfunctions scan <1 GiB tree: 64 x 16 MiB> -o json")]
    [ThroughputChars(TotalBytes)]
    public async Task<int> Tree()
    {
        var console = new CliConsole(TextWriter.Null, TextWriter.Null, Stream.Null);
        return Check(await CliApp.RunAsync(["scan", _root, "-o", "json"], console, CancellationToken.None));
    }

    [Benchmark(Description = "tokenfunctions scan - -o json < 1 GiB on stdin")]
    [ThroughputChars(TotalBytes)]
    public async Task<int> Stdin()
    {
        using var stdin = new ReplayStream(_log, Files);
        var console = new CliConsole(TextWriter.Null, TextWriter.Null, stdin);
        return Check(await CliApp.RunAsync(["scan", "-", "-o", "json"], console, CancellationToken.None));
    }

    /// <summary>Tokens were found and not killed: exit code 8, anything else means the benchmark measured something else.</summary>
    private int Check(int exitCode) => exitCode == ExitCodes.NeedsHuman && _expected > 0
        ? exitCode
        : throw new InvalidOperationException($"scan exited {exitCode}: the benchmark is not measuring a full scan.");

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddColumn(new ThroughputColumn());
            AddColumn(new PeakMemoryColumn(nameof(ScanGigabyteBenchmarks)));

            // A second per operation: a few measured runs say enough, and keep the shared machine free.
            AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithId("InProcess")
                .WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5));
        }
    }

    /// <summary>One buffer, <paramref name="times"/> over: a GiB of stdin without a GiB in memory.</summary>
    private sealed class ReplayStream(byte[] content, int times) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => (long)content.Length * times;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var left = Length - _position;
            var at = (int)(_position % content.Length);
            var n = (int)Math.Min(Math.Min(buffer.Length, left), content.Length - at);
            content.AsSpan(at, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
