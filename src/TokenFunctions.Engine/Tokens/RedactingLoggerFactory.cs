using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace TokenFunctions.Engine.Tokens;

/// <summary>
/// Decorates the application's <see cref="ILoggerFactory"/>: every logger it creates is a <see cref="RedactingLogger"/>
/// over the inner factory's logger, which fans out to all providers (console, OpenTelemetry, Application Insights, the
/// Functions worker's channel to the host). Redaction therefore happens once per entry, above every provider, whatever
/// order providers were registered in. Installed by <see cref="TokenRedactionLoggingExtensions.AddTokenRedaction"/>.
/// </summary>
public sealed class RedactingLoggerFactory(ILoggerFactory inner, bool ownsInner = true) : ILoggerFactory
{
    private readonly ConcurrentDictionary<string, RedactingLogger> _loggers = new(StringComparer.Ordinal);

    public ILogger CreateLogger(string categoryName) =>
        _loggers.GetOrAdd(categoryName, static (name, factory) => new RedactingLogger(factory.CreateLogger(name)), inner);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose()
    {
        if (ownsInner)
        {
            inner.Dispose();
        }
    }
}
