using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Dynatrace;

namespace TokenFunctions.Engine.Rotation;

/// <summary>
/// Builds the real <see cref="EnvironmentTokenClient"/> for an environment description, with the same HTTP pipeline,
/// credential provider and options as the directory's clients. Rotation asks it for one client per environment: the one
/// whose primary and secondary credentials are swapped.
/// </summary>
public sealed class DynatraceEnvironmentClientFactory : IEnvironmentClientFactory
{
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly ICredentialProvider _credentials;
    private readonly DynatraceOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILoggerFactory _loggerFactory;

    public DynatraceEnvironmentClientFactory(
        IHttpClientFactory httpClientFactory,
        ICredentialProvider credentials,
        IOptions<DynatraceOptions> options,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        _httpClientFactory = httpClientFactory;
        _credentials = credentials;
        _options = options.Value;
        _timeProvider = timeProvider;
        _loggerFactory = loggerFactory;
    }

    public IEnvironmentTokenClient Create(DynatraceEnvironment environment) =>
        new EnvironmentTokenClient(environment, _httpClientFactory, _credentials, _options, _timeProvider, _loggerFactory.CreateLogger<EnvironmentTokenClient>());
}
