using Microsoft.Extensions.Logging;

namespace TokenFunctions.Engine.Tokens;

/// <summary>
/// Wraps the logger a <see cref="RedactingLoggerFactory"/> hands out. Every entry is redacted once, before any provider
/// sees it: the formatted message, each structured value, the exception (message, stack and inner exceptions) and scopes.
/// </summary>
public sealed class RedactingLogger(ILogger inner) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => inner.BeginScope(RedactedLogState.ForScope(state));

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!inner.IsEnabled(logLevel))
        {
            return;
        }

        ArgumentNullException.ThrowIfNull(formatter);
        var message = Redaction.Redact(formatter(state, exception)) ?? string.Empty;
        var safeState = RedactedLogState.ForEntry(state, message);
        var safeException = exception is null ? null : Redaction.RedactException(exception);
        inner.Log(logLevel, eventId, safeState, safeException, RedactedLogState.Formatter);
    }
}
