using Microsoft.Extensions.Logging;

namespace TokenFunctions.Cli.Hosting;

/// <summary>
/// <c>--verbose</c>: one line per log entry on the CLI's stderr. It sits behind the engine's redacting logger factory,
/// and the writer redacts again.
/// </summary>
internal sealed class CliLoggerProvider(TextWriter writer) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(writer, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(TextWriter writer, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"[{logLevel.ToString().ToLowerInvariant()}] {category}: {formatter(state, exception)}";
            if (exception is not null)
            {
                line += " (" + exception.GetType().Name + ": " + exception.Message + ")";
            }

            writer.WriteLine(line);
        }
    }
}
