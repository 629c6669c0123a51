namespace TokenFunctions.Cli.Console;

/// <summary>
/// Progress as one line on stderr, redrawn in place while work runs and erased when it ends, only when stderr is an
/// interactive terminal: a pipe, a log file and <c>-o json</c>'s stdout never see it (dtctl's rule for its spinner).
/// </summary>
internal sealed class StatusLine : IAsyncDisposable
{
    private const int Width = 100;

    private readonly TextWriter? _writer;
    private readonly Func<string> _text;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop = Task.CompletedTask;

    private StatusLine(TextWriter? writer, TimeProvider time, Func<string> text)
    {
        _writer = writer;
        _text = text;
        if (writer is not null)
        {
            Draw();
            _loop = RunAsync(time);
        }
    }

    public static StatusLine Start(CliConsole console, TimeProvider time, Func<string> text)
    {
        ArgumentNullException.ThrowIfNull(console);
        return new StatusLine(console.ErrorIsTerminal ? console.Error : null, time, text);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        if (_writer is not null)
        {
            _writer.Write("\r" + new string(' ', Width) + "\r");
            await _writer.FlushAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private void Draw()
    {
        var text = _text();
        _writer!.Write("\r" + (text.Length > Width ? text[..(Width - 1)] + "…" : text.PadRight(Width)));
        _writer.Flush();
    }

    private async Task RunAsync(TimeProvider time)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250), time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                Draw();
            }
        }
        catch (OperationCanceledException)
        {
            // The work ended.
        }
    }
}
