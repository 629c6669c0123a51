using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace TokenFunctions.Functions.Tests.Hosting;

/// <summary>A logger provider that keeps everything it is handed (message, structured state, exception), to prove what providers receive.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(string Category, string Line)> _entries = new();

    public IReadOnlyList<(string Category, string Line)> Entries => [.. _entries];

    public string All => string.Join('\n', _entries.Select(e => $"{e.Category}: {e.Line}"));

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<(string, string)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            entries.Enqueue((category, $"{logLevel} {formatter(state, exception)} [{structured}] {exception}"));
        }
    }
}
