using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Sources.GitHub;

/// <summary>
/// GitHub REST over the named client <see cref="HttpClientName"/> (standard resilience handler). The alert's secret is
/// parsed into <see cref="TokenSecret"/>s inside this class and the raw text is dropped there.
/// </summary>
public sealed partial class GitHubAlertClient(
    IHttpClientFactory httpClientFactory,
    IGitHubCredential tokenSource,
    IOptions<GitHubAlertOptions> options,
    ILogger<GitHubAlertClient> logger) : IGitHubAlertClient
{
    public const string HttpClientName = "TokenFunctions.GitHub";

    public async Task<GitHubAlertSecret> GetSecretAsync(GitHubAlertRef alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        try
        {
            using var request = await CreateRequestAsync(HttpMethod.Get, alert, cancellationToken).ConfigureAwait(false);
            if (request is null)
            {
                return GitHubAlertSecret.Fail(GitHubFetchStatus.Denied, 0);
            }

            using var response = await Client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                LogGitHubStatus(logger, "get", alert.ToString(), (int)response.StatusCode);
                return GitHubAlertSecret.Fail(Classify(response.StatusCode), (int)response.StatusCode);
            }

            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var details = JsonSerializer.Deserialize(body, SourcesJsonContext.Default.GitHubAlertDetails);
            var secret = details?.Secret;
            if (string.IsNullOrEmpty(secret))
            {
                return GitHubAlertSecret.Ok([], false);
            }

            // Custom patterns may match a token with surroundings; GitHub's own patterns match the bare token.
            IReadOnlyList<TokenSecret> tokens = TokenSecret.TryParse(secret.Trim(), out var single)
                ? [single]
                : TokenScanner.FindSecrets(secret).Distinct().ToList();
            return GitHubAlertSecret.Ok(tokens, true);
        }
        catch (JsonException)
        {
            LogGitHubStatus(logger, "get", alert.ToString(), -1);
            return GitHubAlertSecret.Fail(GitHubFetchStatus.Failed, 200);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or OperationCanceledException or Polly.Timeout.TimeoutRejectedException)
        {
            LogGitHubError(logger, "get", alert.ToString(), e.GetType().Name);
            return GitHubAlertSecret.Fail(GitHubFetchStatus.Failed, 0);
        }
    }

    public async Task<GitHubResolveStatus> ResolveRevokedAsync(GitHubAlertRef alert, string comment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        try
        {
            using var request = await CreateRequestAsync(HttpMethod.Patch, alert, cancellationToken).ConfigureAwait(false);
            if (request is null)
            {
                return GitHubResolveStatus.Failed;
            }

            var body = new GitHubAlertResolution("resolved", "revoked", Redaction.Redact(comment));
            request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, SourcesJsonContext.Default.GitHubAlertResolution));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await Client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return GitHubResolveStatus.Resolved;
            }

            LogGitHubStatus(logger, "resolve", alert.ToString(), (int)response.StatusCode);
            _ = Classify(response.StatusCode); // drops a refused App token (401), so the next attempt fetches a fresh one
            return response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.UnprocessableEntity
                ? GitHubResolveStatus.Refused
                : GitHubResolveStatus.Failed;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or OperationCanceledException or Polly.Timeout.TimeoutRejectedException)
        {
            LogGitHubError(logger, "resolve", alert.ToString(), e.GetType().Name);
            return GitHubResolveStatus.Failed;
        }
    }

    internal static void AddGitHubHeaders(HttpRequestMessage request, GitHubAlertOptions settings)
    {
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        request.Headers.TryAddWithoutValidation("X-GitHub-Api-Version", "2022-11-28");
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue(settings.UserAgent, null));
    }

    private HttpClient Client => httpClientFactory.CreateClient(HttpClientName);

    private GitHubFetchStatus Classify(HttpStatusCode status)
    {
        switch (status)
        {
            case HttpStatusCode.NotFound:
                return GitHubFetchStatus.NotFound;
            case HttpStatusCode.Unauthorized:
                tokenSource.Invalidate();
                return GitHubFetchStatus.Denied;
            case HttpStatusCode.Forbidden:
                return GitHubFetchStatus.Denied;
            default:
                return GitHubFetchStatus.Failed;
        }
    }

    private async Task<HttpRequestMessage?> CreateRequestAsync(HttpMethod method, GitHubAlertRef alert, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var token = await tokenSource.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(token))
        {
            LogNoCredential(logger);
            return null;
        }

        var request = new HttpRequestMessage(method, new Uri(WithSlash(settings.ApiBaseUrl), alert.RelativePath));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        AddGitHubHeaders(request, settings);
        return request;
    }

    internal static Uri WithSlash(Uri baseUrl) =>
        baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");

    [LoggerMessage(Level = LogLevel.Warning, Message = "GitHub {Operation} for alert {Alert} answered HTTP {Status}")]
    private static partial void LogGitHubStatus(ILogger logger, string operation, string alert, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "GitHub {Operation} for alert {Alert} failed: {ErrorType}")]
    private static partial void LogGitHubError(ILogger logger, string operation, string alert, string errorType);

    [LoggerMessage(Level = LogLevel.Error, Message = "No GitHub credential configured (Sources:GitHub:Token or the GitHub App settings)")]
    private static partial void LogNoCredential(ILogger logger);
}
