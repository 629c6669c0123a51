using System.Net;
using System.Text.Json;
using Azure;
using TokenFunctions.KeyVaultSandbox;
using static TokenFunctions.Engine.IntegrationTests.KeyVault.VaultClients;
using VaultSandbox = TokenFunctions.KeyVaultSandbox.KeyVaultSandbox;

namespace TokenFunctions.Engine.IntegrationTests.KeyVault;

/// <summary>
/// The App Service managed-identity endpoint on the wire, as MSAL's App Service source calls it (GET, api-version
/// 2019-08-01, resource, X-IDENTITY-HEADER) and reads it (access_token, expires_on as a string of Unix seconds,
/// resource, token_type). The real <c>DefaultAzureCredential</c> over it runs in a child process
/// (TokenFunctions.Cli.Tests, ManagedIdentityProcessTests): its environment variables must not leak into this process.
/// </summary>
public sealed class ManagedIdentityEndpointTests
{
    private static readonly HttpClient Http = new();

    [Fact]
    public async Task It_answers_what_MSAL_reads_and_the_vault_accepts_that_bearer()
    {
        await using var vault = await VaultSandbox.StartAsync(cancellationToken: Ct);
        var seeded = vault.Seed("by-identity", NewValue());

        using var response = await Http.SendAsync(TokenRequest(vault, "https://vault.azure.net", vault.IdentityHeader, "client_id=3f7c0e3e-1a2b-4c5d-8e9f-001122334455"), Ct);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var json = body.RootElement;
        var token = json.GetProperty("access_token").GetString()!;
        var read = (await Fast(vault, credential: new StaticTokenCredential(token)).GetSecretAsync("by-identity", cancellationToken: Ct)).Value;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, token.Split('.').Length);
        Assert.Equal(JsonValueKind.String, json.GetProperty("expires_on").ValueKind);
        var expiresOn = DateTimeOffset.FromUnixTimeSeconds(long.Parse(json.GetProperty("expires_on").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.InRange(expiresOn, DateTimeOffset.UtcNow.AddHours(1), DateTimeOffset.UtcNow.AddDays(2));
        Assert.Equal("https://vault.azure.net", json.GetProperty("resource").GetString());
        Assert.Equal("Bearer", json.GetProperty("token_type").GetString());
        Assert.Equal("3f7c0e3e-1a2b-4c5d-8e9f-001122334455", json.GetProperty("client_id").GetString());
        SameValue(seeded.Value, read.Value);
        var identity = Assert.Single(vault.Requests, r => r.Operation == KeyVaultOperation.ManagedIdentityToken);
        Assert.Equal((true, 200, "/msi/token"), (identity.Authenticated, identity.StatusCode, identity.Path));
        Assert.DoesNotContain(vault.IdentityHeader, string.Join('\n', vault.Requests), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "2019-08-01", HttpStatusCode.Unauthorized)]
    [InlineData("wrong", "2019-08-01", HttpStatusCode.Unauthorized)]
    [InlineData("right", "2017-09-01", HttpStatusCode.BadRequest)]
    public async Task Without_the_identity_header_or_with_another_api_version_it_issues_nothing(string? header, string apiVersion, HttpStatusCode expected)
    {
        await using var vault = await VaultSandbox.StartAsync(cancellationToken: Ct);
        var request = new HttpRequestMessage(HttpMethod.Get, $"{vault.IdentityEndpoint}?api-version={apiVersion}&resource=https%3A%2F%2Fvault.azure.net");
        if (header is not null)
        {
            request.Headers.Add("X-IDENTITY-HEADER", header == "right" ? vault.IdentityHeader : header);
        }

        using var response = await Http.SendAsync(request, Ct);

        Assert.Equal(expected, response.StatusCode);
        Assert.DoesNotContain("access_token", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_for_another_resource_does_not_open_the_vault()
    {
        await using var vault = await VaultSandbox.StartAsync(cancellationToken: Ct);
        vault.Seed("guarded", NewValue());
        using var response = await Http.SendAsync(TokenRequest(vault, "https://storage.azure.com", vault.IdentityHeader), Ct);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var storageToken = body.RootElement.GetProperty("access_token").GetString()!;

        var error = await Assert.ThrowsAsync<RequestFailedException>(() =>
            Fast(vault, maxRetries: 0, credential: new StaticTokenCredential(storageToken)).GetSecretAsync("guarded", cancellationToken: Ct));

        Assert.Equal(401, error.Status);
    }

    [Fact]
    public async Task A_fault_on_the_identity_endpoint_leaves_the_vault_up_and_a_vault_fault_leaves_the_endpoint_up()
    {
        await using var vault = await VaultSandbox.StartAsync(cancellationToken: Ct);
        vault.Faults.SetPersistent(KeyVaultFault.Unavailable);

        using var whileVaultDown = await Http.SendAsync(TokenRequest(vault, "https://vault.azure.net", vault.IdentityHeader), Ct);
        vault.Faults.Clear();
        vault.Faults.Enqueue(KeyVaultFault.Unavailable, target: KeyVaultOperation.ManagedIdentityToken);
        using var identityDown = await Http.SendAsync(TokenRequest(vault, "https://vault.azure.net", vault.IdentityHeader), Ct);
        using var identityBack = await Http.SendAsync(TokenRequest(vault, "https://vault.azure.net", vault.IdentityHeader), Ct);

        Assert.Equal(
            [HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK],
            [whileVaultDown.StatusCode, identityDown.StatusCode, identityBack.StatusCode]);
        Assert.Equal(3, vault.CallCount(KeyVaultOperation.ManagedIdentityToken));
        Assert.Equal(0, vault.RequestCount);
    }

    [Fact]
    public async Task The_worker_environment_names_the_vault_the_pin_and_the_identity_endpoint()
    {
        await using var vault = await VaultSandbox.StartAsync(cancellationToken: Ct);

        var variables = vault.EnvironmentVariables("3f7c0e3e-1a2b-4c5d-8e9f-001122334455");
        var settings = vault.ConfigurationSettings();

        Assert.Equal(vault.VaultUri.AbsoluteUri, variables["KeyVault__VaultUri"]);
        Assert.Equal(vault.CertificateSha256, variables["KeyVault__LoopbackCertificateSha256"]);
        Assert.Equal("3f7c0e3e-1a2b-4c5d-8e9f-001122334455", variables["KeyVault__ManagedIdentityClientId"]);
        Assert.Equal(vault.IdentityEndpoint.AbsoluteUri, variables["IDENTITY_ENDPOINT"]);
        Assert.Equal(vault.IdentityHeader, variables["IDENTITY_HEADER"]);
        Assert.Equal(["KeyVault:VaultUri", "KeyVault:LoopbackCertificateSha256"], settings.Keys);
        Assert.True(vault.VaultUri.IsLoopback && vault.IdentityEndpoint.IsLoopback);
        Assert.Equal(Uri.UriSchemeHttps, vault.VaultUri.Scheme);
        Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(vault.Certificate.RawData)), vault.CertificateSha256);
    }

    private static HttpRequestMessage TokenRequest(VaultSandbox vault, string resource, string header, string? extraQuery = null)
    {
        var request = new HttpRequestMessage(
            HttpMethod.Get,
            $"{vault.IdentityEndpoint}?api-version=2019-08-01&resource={Uri.EscapeDataString(resource)}{(extraQuery is null ? string.Empty : "&" + extraQuery)}");
        request.Headers.Add("X-IDENTITY-HEADER", header);
        return request;
    }
}
