using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TokenFunctions.Engine.Tokens;

/// <summary>
/// Refuses to start the host when the resolved <see cref="ILoggerFactory"/> is not redacting, e.g. because a logging
/// library replaced the factory after <see cref="TokenRedactionLoggingExtensions.AddTokenRedaction"/>. Failing to start is
/// better than one unredacted secret in a log sink.
/// </summary>
public sealed class TokenRedactionGuard(ILoggerFactory loggerFactory) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        loggerFactory.IsRedacting()
            ? Task.CompletedTask
            : throw new InvalidOperationException(
                $"The registered ILoggerFactory ({loggerFactory.GetType().FullName}) does not redact token secrets. "
                + "Call AddTokenRedaction() after every other logging registration that replaces ILoggerFactory.");

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
