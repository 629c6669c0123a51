using System.Globalization;

namespace TokenFunctions.Cli.Scanning;

/// <summary>A one-line progress bar on stderr, redrawn in place; only for long scans with a terminal on stdout.</summary>
internal sealed class ProgressBar(TextWriter writer, long total, TimeProvider time) : IAsyncDisposable
{
    /// <summary>Below this, a scan ends before a bar would be worth drawing.</summary>
    public const long LongScanBytes = 256L * 1024 * 1024;

    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public void Start(Func<long> done) => _loop = RunAsync(done);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        writer.Write("\r" + new string(' ', 72) + "\r");
        _stop.Dispose();
    }

    private async Task RunAsync(Func<long> done)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200), time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                var fraction = total == 0 ? 1 : Math.Clamp(done() / (double)total, 0, 1);
                var filled = (int)(fraction * 30);
                writer.Write(string.Create(CultureInfo.InvariantCulture, $"\r[{new string('#', filled)}{new string('.', 30 - filled)}] {fraction * 100,5:0.0}% of {total / (1024.0 * 1024.0):0} MB"));
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped: the scan finished.
        }
    }
}
