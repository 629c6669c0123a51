using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Dynatrace.Http;

namespace TokenFunctions.Engine.Dynatrace;

/// <summary>
/// The one place the real clients are put together: each gets a <see cref="TokenApi"/> over the named resilient
/// <see cref="HttpClient"/> of its API; an account client also gets the <see cref="OAuthBearerProvider"/> over the SSO's.
/// API paths are appended to the base URL, so it is given to the client ending in <c>/</c>.
/// </summary>
public sealed class DynatraceClientFactory : IDynatraceClientFactory
{
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly ICredentialProvider _credentials;
    private readonly DynatraceOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;

    public DynatraceClientFactory(
        IHttpClientFactory httpClientFactory,
        ICredentialProvider credentials,
        IOptions<DynatraceOptions> options,
        TimeProvider time,
        ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        _httpClientFactory = httpClientFactory;
        _credentials = credentials;
        _options = options.Value;
        _time = time;
        _loggerFactory = loggerFactory;
    }

    public IEnvironmentTokenClient CreateEnvironment(DynatraceEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        environment = environment with { ApiBaseUrl = DynatraceUrls.WithTrailingSlash(environment.ApiBaseUrl) };
        var api = Api(DynatraceHttpClientNames.Environment, environment.Name, "token", "list", _loggerFactory.CreateLogger<EnvironmentTokenClient>());
        return new EnvironmentTokenClient(environment, api, _credentials);
    }

    public IAccountTokenClient CreateAccount(DynatraceAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        account = account with { ApiBaseUrl = DynatraceUrls.WithTrailingSlash(account.ApiBaseUrl) };
        var logger = _loggerFactory.CreateLogger<AccountTokenClient>();
        var api = Api(DynatraceHttpClientNames.Account, account.Name, "platform token", "search", logger);
        var bearers = new OAuthBearerProvider(account, Sender(DynatraceHttpClientNames.Sso), _credentials, _options, logger);
        return new AccountTokenClient(account, api, bearers);
    }

    private TokenApi Api(string clientName, string target, string tokenNoun, string findByName, ILogger logger) =>
        new(Sender(clientName), target, tokenNoun, findByName, _options, logger);

    private DynatraceSender Sender(string clientName) => new(_httpClientFactory, clientName, _time);
}
