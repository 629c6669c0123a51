using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace TokenFunctions.Engine.UnitTests.Tokens;

/// <summary>
/// A logging provider that keeps everything a real sink could export: the formatted message, every structured value,
/// the exception's full text and every scope. Tests search <see cref="AllText"/> for secrets.
/// </summary>
internal sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> _entries = new();
    private readonly ConcurrentQueue<string> _scopes = new();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    public IReadOnlyList<string> Scopes => [.. _scopes];

    /// <summary>Everything captured, as one string.</summary>
    public string AllText => string.Join('\n', _entries.Select(e => e.AllText).Concat(_scopes));

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void Dispose()
    {
    }

    internal sealed record Entry(string Category, LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, string>> Values, string? Exception, object? State)
    {
        public string AllText =>
            $"{Category} {Level} {Message} {State} {string.Join(' ', Values.Select(v => $"{v.Key}={v.Value}"))} {Exception}";
    }

    private sealed class CapturingLogger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            owner._scopes.Enqueue($"{state} {Describe(state)}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.Select(p => new KeyValuePair<string, string>(p.Key, Convert.ToString(p.Value, CultureInfo.InvariantCulture) ?? "(null)")).ToList()
                : [];
            var exceptionText = exception is null ? null : $"{exception} | {exception.Message} | {exception.StackTrace} | {exception.InnerException}";
            owner._entries.Enqueue(new Entry(category, logLevel, formatter(state, exception), values, exceptionText, state));
        }

        private static string Describe(object state) => state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}"))
            : string.Empty;
    }
}
