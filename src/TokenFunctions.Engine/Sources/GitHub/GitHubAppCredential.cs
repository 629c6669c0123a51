using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Sources.GitHub;

/// <summary>
/// GitHub App installation tokens: a short RS256 JWT signed with the App's private key (<c>Sources:GitHub:AppPrivateKey</c>,
/// PEM) is exchanged at <c>POST /app/installations/{id}/access_tokens</c>; the token is cached until five minutes before
/// it expires (GitHub issues them for one hour). Each installation token is registered with <see cref="KnownSecrets"/>.
/// </summary>
public sealed class GitHubAppCredential(
    IHttpClientFactory httpClientFactory,
    IWebhookSecretProvider secrets,
    IOptions<GitHubAlertOptions> options,
    TimeProvider timeProvider) : IGitHubCredential, IDisposable
{
    public const string HttpClientName = "TokenFunctions.GitHubApp";

    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string Token, DateTimeOffset RefreshAt)? _cached;

    public async ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } hit && timeProvider.GetUtcNow() < hit.RefreshAt)
        {
            return hit.Token;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = timeProvider.GetUtcNow();
            if (_cached is { } again && now < again.RefreshAt)
            {
                return again.Token;
            }

            var fresh = await FetchAsync(now, cancellationToken).ConfigureAwait(false);
            _cached = fresh;
            return fresh?.Token;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Invalidate() => _cached = null;

    public void Dispose() => _gate.Dispose();

    /// <summary>The App JWT: <c>iat</c> 60 s in the past against clock drift, <c>exp</c> 9 minutes ahead (GitHub's limit is 10).</summary>
    internal static string CreateJwt(string appId, string privateKeyPem, DateTimeOffset now)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(privateKeyPem);
        var header = Base64Url("{\"alg\":\"RS256\",\"typ\":\"JWT\"}"u8);
        var iat = now.AddSeconds(-60).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var exp = now.AddMinutes(9).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var payload = Base64Url(Encoding.UTF8.GetBytes($"{{\"iat\":{iat},\"exp\":{exp},\"iss\":{JsonSerializer.Serialize(appId, SourcesJsonContext.Default.String)}}}"));
        var signingInput = header + "." + payload;
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    private static string Base64Url(ReadOnlySpan<byte> data) =>
        Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private async Task<(string Token, DateTimeOffset RefreshAt)?> FetchAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var key = await secrets.GetAsync(WebhookSecretNames.GitHubAppPrivateKey, cancellationToken).ConfigureAwait(false);
        if (key is null || string.IsNullOrWhiteSpace(settings.AppId) || settings.AppInstallationId is not { } installation)
        {
            return null;
        }

        var jwt = CreateJwt(settings.AppId, key.Current, now);
        var client = httpClientFactory.CreateClient(HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(GitHubAlertClient.WithSlash(settings.ApiBaseUrl), $"app/installations/{installation}/access_tokens"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", jwt);
        GitHubAlertClient.AddGitHubHeaders(request, settings);
        using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        GitHubInstallationToken? token;
        try
        {
            token = JsonSerializer.Deserialize(body, SourcesJsonContext.Default.GitHubInstallationToken);
        }
        catch (JsonException)
        {
            return null;
        }

        if (string.IsNullOrEmpty(token?.Token))
        {
            return null;
        }

        KnownSecrets.Register(token.Token);
        var expires = token.ExpiresAt ?? now.AddHours(1);
        return (token.Token, expires - RefreshMargin > now ? expires - RefreshMargin : now);
    }
}
