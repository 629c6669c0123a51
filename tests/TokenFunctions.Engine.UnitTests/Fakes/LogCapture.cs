using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace TokenFunctions.Engine.UnitTests.Fakes;

/// <summary>
/// The one capturing logger: a logging provider that keeps everything a real sink could export (the formatted message,
/// every structured value, the exception's full text and every scope). Tests search <see cref="AllText"/> or
/// <see cref="All"/> for secrets. <see cref="CapturingLogger{T}"/> is a typed logger over one of these.
/// </summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> _entries = new();
    private readonly ConcurrentQueue<string> _scopes = new();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    public IReadOnlyList<string> Scopes => [.. _scopes];

    /// <summary>Everything captured, as one string.</summary>
    public string AllText => string.Join('\n', _entries.Select(e => e.AllText).Concat(_scopes));

    /// <summary>One line per entry: <c>{level} {category}: {message} [{structured}] {exception}</c>.</summary>
    public IReadOnlyList<string> Lines => [.. _entries.Select(e => $"{e.Level} {e.Category}: {e.Message} [{e.Structured}] {e.Error}")];

    /// <summary><see cref="Lines"/> as one string.</summary>
    public string All => string.Join('\n', Lines);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    public sealed record Entry(string Category, LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, string>> Values, string? Exception, object? State)
    {
        /// <summary>The structured values as <c>key=value</c> pairs, formatted as a plain string interpolation would.</summary>
        public string Structured { get; init; } = "";

        public Exception? Error { get; init; }

        public string AllText =>
            $"{Category} {Level} {Message} {State} {string.Join(' ', Values.Select(v => $"{v.Key}={v.Value}"))} {Exception}";
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
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
            var pairs = state as IEnumerable<KeyValuePair<string, object?>>;
            var values = pairs is null
                ? []
                : pairs.Select(p => new KeyValuePair<string, string>(p.Key, Convert.ToString(p.Value, CultureInfo.InvariantCulture) ?? "(null)")).ToList();
            var exceptionText = exception is null ? null : $"{exception} | {exception.Message} | {exception.StackTrace} | {exception.InnerException}";
            owner._entries.Enqueue(new Entry(category, logLevel, formatter(state, exception), values, exceptionText, state)
            {
                Structured = pairs is null ? "" : Describe(state!),
                Error = exception,
            });
        }

        private static string Describe(object state) => state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}"))
            : string.Empty;
    }
}

/// <summary>A typed logger over a <see cref="LogCapture"/>, for code that takes an <see cref="ILogger{T}"/>.</summary>
public sealed class CapturingLogger<T> : ILogger<T>
{
    private readonly ILogger _logger;

    public CapturingLogger()
    {
        _logger = Capture.CreateLogger(typeof(T).FullName!);
    }

    public LogCapture Capture { get; } = new();

    /// <summary>One line per entry: <c>{level}: {message}</c>, then the exception when there is one.</summary>
    public IReadOnlyCollection<string> Lines =>
        [.. Capture.Entries.Select(e => $"{e.Level}: {e.Message}{(e.Error is null ? string.Empty : " " + e.Error)}")];

    public string AllText => string.Join('\n', Lines);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _logger.Log(logLevel, eventId, state, exception, formatter);
}
