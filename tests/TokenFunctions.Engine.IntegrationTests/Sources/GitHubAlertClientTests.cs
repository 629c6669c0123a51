using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TokenFunctions.Engine.Sources;
using TokenFunctions.Engine.Sources.GitHub;
using TokenFunctions.Engine.Tests.Sources.Support;

namespace TokenFunctions.Engine.IntegrationTests.Sources;

public sealed class GitHubAlertClientTests : IAsyncLifetime
{
    private FakeGitHubServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FakeGitHubServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private GitHubAlertClient Client(string token = "ghp_test", string basePath = "")
    {
        var options = Options.Create(new GitHubAlertOptions { ApiBaseUrl = new Uri(_server.BaseUrl, basePath) });
        return new GitHubAlertClient(new PlainHttpClientFactory(), new FixedToken(token), options, NullLogger<GitHubAlertClient>.Instance);
    }

    [Fact]
    public async Task Reads_the_secret_and_returns_only_parsed_tokens()
    {
        _server.AlertSecret = TestTokens.Classic(21);
        var result = await Client().GetSecretAsync(new GitHubAlertRef("octo-org", "hello", 42), CancellationToken.None);

        Assert.Equal(GitHubFetchStatus.Ok, result.Status);
        Assert.Equal(TestTokens.Secret(21), Assert.Single(result.Tokens));
        Assert.DoesNotContain(TestTokens.SecretPart(21), result.ToString(), StringComparison.Ordinal);
        var request = Assert.Single(_server.Requests);
        Assert.Equal(("GET", "/repos/octo-org/hello/secret-scanning/alerts/42", "Bearer ghp_test", "2022-11-28"),
            (request.Method, request.Path, request.Authorization, request.ApiVersion));
    }

    [Fact]
    public async Task Works_under_a_GitHub_Enterprise_Server_base_path()
    {
        _server.AlertSecret = TestTokens.Classic(22);
        var result = await Client(basePath: "api/v3").GetSecretAsync(new GitHubAlertRef("o", "r", 1), CancellationToken.None);
        Assert.Equal(GitHubFetchStatus.Ok, result.Status);
        Assert.Equal("/api/v3/repos/o/r/secret-scanning/alerts/1", Assert.Single(_server.Requests).Path);
    }

    [Theory]
    [InlineData(404, GitHubFetchStatus.NotFound)]
    [InlineData(403, GitHubFetchStatus.Denied)]
    [InlineData(500, GitHubFetchStatus.Failed)]
    [InlineData(429, GitHubFetchStatus.Failed)]
    public async Task Maps_error_statuses(int status, GitHubFetchStatus expected)
    {
        _server.AlertStatus = status;
        Assert.Equal(expected, (await Client().GetSecretAsync(new GitHubAlertRef("o", "r", 1), CancellationToken.None)).Status);
    }

    [Fact]
    public async Task A_wrong_credential_is_denied_and_invalidates_the_token_source()
    {
        var token = new FixedToken("wrong");
        var client = new GitHubAlertClient(new PlainHttpClientFactory(), token, Options.Create(new GitHubAlertOptions { ApiBaseUrl = _server.BaseUrl }), NullLogger<GitHubAlertClient>.Instance);
        Assert.Equal(GitHubFetchStatus.Denied, (await client.GetSecretAsync(new GitHubAlertRef("o", "r", 1), CancellationToken.None)).Status);
        Assert.Equal(1, token.Invalidations);
    }

    [Fact]
    public async Task A_hidden_secret_is_ok_but_empty()
    {
        _server.AlertSecret = null;
        var result = await Client().GetSecretAsync(new GitHubAlertRef("o", "r", 1), CancellationToken.None);
        Assert.Equal((GitHubFetchStatus.Ok, false, 0), (result.Status, result.HadSecret, result.Tokens.Count));
    }

    [Fact]
    public async Task Resolving_patches_state_resolution_and_comment()
    {
        var status = await Client().ResolveRevokedAsync(new GitHubAlertRef("octo-org", "hello", 42), "Dynatrace token dt0c01.X disabled " + TestTokens.Classic(23), CancellationToken.None);
        Assert.Equal(GitHubResolveStatus.Resolved, status);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("PATCH", request.Method);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("resolved", body.RootElement.GetProperty("state").GetString());
        Assert.Equal("revoked", body.RootElement.GetProperty("resolution").GetString());
        var comment = body.RootElement.GetProperty("resolution_comment").GetString()!;
        Assert.Contains(TestTokens.Id(23).Value, comment, StringComparison.Ordinal);
        Assert.DoesNotContain(TestTokens.SecretPart(23), request.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(403, GitHubResolveStatus.Refused)]
    [InlineData(404, GitHubResolveStatus.Refused)]
    [InlineData(422, GitHubResolveStatus.Refused)]
    [InlineData(500, GitHubResolveStatus.Failed)]
    [InlineData(429, GitHubResolveStatus.Failed)]
    public async Task A_refused_resolution_is_told_apart_from_one_worth_retrying(int status, GitHubResolveStatus expected)
    {
        _server.PatchStatuses.Enqueue(status);

        Assert.Equal(expected, await Client().ResolveRevokedAsync(new GitHubAlertRef("o", "r", 1), "comment", CancellationToken.None));
    }

    [Fact]
    public async Task A_resolution_cancelled_by_its_deadline_is_a_failure_worth_retrying()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        Assert.Equal(GitHubResolveStatus.Failed, await Client().ResolveRevokedAsync(new GitHubAlertRef("o", "r", 1), "comment", cancelled.Token));
    }

    [Fact]
    public async Task App_installation_tokens_are_minted_from_a_verified_JWT_and_cached()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _server.InstallationTokenExpires = time.GetUtcNow().AddHours(1);
        var secrets = new DictionarySecrets(new() { [WebhookSecretNames.GitHubAppPrivateKey] = _server.AppKey.ExportPkcs8PrivateKeyPem() });
        var options = Options.Create(new GitHubAlertOptions { ApiBaseUrl = _server.BaseUrl, AppId = _server.AppId, AppInstallationId = 678 });
        using var source = new GitHubAppCredential(new PlainHttpClientFactory(), secrets, options, time);

        var first = await source.GetTokenAsync(CancellationToken.None);
        var cached = await source.GetTokenAsync(CancellationToken.None);
        Assert.Equal("ghs_installation_678_1", first);
        Assert.Equal(first, cached);
        Assert.Equal(1, _server.InstallationTokenHits);

        time.Advance(TimeSpan.FromMinutes(56)); // within five minutes of expiry: refresh
        Assert.Equal("ghs_installation_678_2", await source.GetTokenAsync(CancellationToken.None));

        source.Invalidate();
        Assert.Equal("ghs_installation_678_3", await source.GetTokenAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_App_with_the_wrong_key_gets_no_token()
    {
        using var other = System.Security.Cryptography.RSA.Create(2048);
        var secrets = new DictionarySecrets(new() { [WebhookSecretNames.GitHubAppPrivateKey] = other.ExportPkcs8PrivateKeyPem() });
        var options = Options.Create(new GitHubAlertOptions { ApiBaseUrl = _server.BaseUrl, AppId = _server.AppId, AppInstallationId = 678 });
        using var source = new GitHubAppCredential(new PlainHttpClientFactory(), secrets, options, TimeProvider.System);
        Assert.Null(await source.GetTokenAsync(CancellationToken.None));
    }

    private sealed class FixedToken(string token) : IGitHubCredential
    {
        public int Invalidations { get; private set; }

        public ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>(token);

        public void Invalidate() => Invalidations++;
    }
}

public sealed class DictionarySecrets(Dictionary<string, string> values) : IWebhookSecretProvider
{
    public ValueTask<WebhookSecret?> GetAsync(string name, CancellationToken cancellationToken) =>
        ValueTask.FromResult(values.TryGetValue(name, out var v) ? new WebhookSecret(v) : null);
}
