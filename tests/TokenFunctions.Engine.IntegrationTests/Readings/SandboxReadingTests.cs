using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TokenFunctions.DynatraceSandbox;
using Sandbox = TokenFunctions.DynatraceSandbox.DynatraceSandbox;

namespace TokenFunctions.Engine.IntegrationTests.Readings;

/// <summary>The sandbox plays each reading of reference §10 over raw HTTP, so the matrix tests test the engine, not the fake.</summary>
public sealed class SandboxReadingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(SandboxPagingNames.PageAndSize, 0, "page=1&size=2", "pageNumber=1&pageSize=2")]
    [InlineData(SandboxPagingNames.PageAndSize, 1, "page=2&size=2", "pageNumber=2&pageSize=2")]
    [InlineData(SandboxPagingNames.PageNumberAndPageSize, 0, "pageNumber=1&pageSize=2", "page=1&size=2")]
    public async Task Paging_honours_one_pair_and_ignores_the_other(SandboxPagingNames names, int pageBase, string honoured, string ignored)
    {
        await using var s = await StartAsync(new SandboxPlatformReading { Paging = names, PageBase = pageBase });
        for (var i = 0; i < 5; i++)
        {
            s.Account.AddPlatformToken(new SandboxPlatformTokenSeed { Id = $"dt0s16.A{i:D7}" });
        }

        var second = await s.ListAsync(honoured);
        var first = await s.ListAsync(ignored);

        Assert.Equal(["dt0s16.A0000002", "dt0s16.A0000003"], Ids(second));
        Assert.Equal(100, first.GetProperty("pageSize").GetInt32());
        Assert.Equal(5, first.GetProperty("results").GetArrayLength());
    }

    [Fact]
    public async Task Uuid_ids_address_tokens_and_dt0s16_paths_answer_404_while_searchTerm_still_finds_the_dt0s16_id()
    {
        await using var s = await StartAsync(new SandboxPlatformReading { IdForm = SandboxIdForm.Uuid });
        var token = s.Account.AddPlatformToken(new SandboxPlatformTokenSeed { Name = "automation" });
        var uuid = s.Account.GetPlatformToken(token.Id)!.Uuid;

        var found = await s.ListAsync("searchTerm=" + token.Id);
        var byPrefixed = await s.Http.PutAsync($"{s.Path}/{token.Id}/status", Json("""{"status":"INACTIVE"}"""), Ct);
        var byUuid = await s.Http.PutAsync($"{s.Path}/{uuid}/status", Json("""{"status":"INACTIVE"}"""), Ct);

        Assert.Equal([uuid], Ids(found));
        Assert.True(Guid.TryParse(uuid, out _));
        Assert.Equal(HttpStatusCode.NotFound, byPrefixed.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, byUuid.StatusCode);
        Assert.False(s.Account.GetPlatformToken(token.Id)!.IsActive);
    }

    [Fact]
    public async Task List_items_carry_status_and_the_last_client_under_the_reading_s_names()
    {
        var usedAt = DateTimeOffset.UtcNow.AddMinutes(-3);
        foreach (var (reading, statusSent, field) in new[]
        {
            (new SandboxPlatformReading(), true, "lastClientId"),
            (new SandboxPlatformReading { ListsStatus = false, LastClientAsIp = true }, false, "lastClientIp"),
        })
        {
            await using var s = await StartAsync(reading);
            s.Account.AddPlatformToken(new SandboxPlatformTokenSeed { LastUsedAt = usedAt, LastClient = "203.0.113.7" });

            var item = (await s.ListAsync(""))
                .GetProperty("results")[0];

            Assert.Equal(statusSent, item.TryGetProperty("status", out _));
            Assert.Equal("203.0.113.7", item.GetProperty("metadata").GetProperty(field).GetString());
            Assert.Single(item.GetProperty("metadata").EnumerateObject(), p => p.Name.StartsWith("lastClient", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task An_ignored_searchTerm_lists_everything()
    {
        await using var s = await StartAsync(new SandboxPlatformReading { HonoursSearchTerm = false });
        s.Account.AddPlatformToken();
        s.Account.AddPlatformToken();

        Assert.Equal(2, (await s.ListAsync("searchTerm=nothing-matches-this")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_scope_family_is_enforced_with_403_and_the_SSO_refuses_scopes_not_granted_with_invalid_scope()
    {
        await using var sandbox = await Sandbox.StartAsync(new SandboxOptions { PlatformReading = new SandboxPlatformReading { ScopeFamily = SandboxScopeFamily.PlatformToken } }, Ct);
        var account = sandbox.AddAccount();
        var both = account.AddOAuthClient();
        var idmOnly = account.AddOAuthClient(scopes: ["account-idm-read", "account-idm-write"]);
        using var http = new HttpClient { BaseAddress = sandbox.BaseUrl };

        var idmBearer = await BearerAsync(http, sandbox, account, both, "account-idm-read account-idm-write");
        var ptBearer = await BearerAsync(http, sandbox, account, both, "platform-token:tokens:manage");
        var refused = await http.PostAsync(sandbox.SsoTokenEndpoint, Form(account, idmOnly, "platform-token:tokens:manage"), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(http, account, idmBearer)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(http, account, ptBearer)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("invalid_scope", (await refused.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_Phase_3_environment_refuses_classic_creates_and_serves_everything_else()
    {
        await using var sandbox = await Sandbox.StartAsync(cancellationToken: Ct);
        var environment = sandbox.AddEnvironment("env1");
        var admin = environment.AddManagementToken();
        environment.ClassicCreationDisabled = true;
        using var http = new HttpClient { BaseAddress = sandbox.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Api-Token", admin.Secret);

        var create = await http.PostAsync("e/env1/api/v2/apiTokens", Json("""{"name":"x","scopes":["metrics.read"]}"""), Ct);
        var list = await http.GetAsync("e/env1/api/v2/apiTokens", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Contains("Classic API token creation is disabled", await create.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(1, environment.TokenCount);
    }

    [Fact]
    public async Task The_account_audit_log_lists_uses_since_startTime_newest_first()
    {
        await using var s = await StartAsync(new SandboxPlatformReading());
        var token = s.Account.AddPlatformToken();
        var t0 = DateTimeOffset.UtcNow.AddHours(-2);
        s.Account.RecordUse(token.Id, t0, "10.0.0.1");
        s.Account.RecordUse(token.Id, t0.AddHours(1), "203.0.113.7", "WRITE", "settings");

        var page = await s.Http.GetFromJsonAsync<JsonElement>(
            $"audit/v1/accounts/{s.Account.Uuid}?startTime={Uri.EscapeDataString(t0.AddMinutes(30).ToString("O"))}", Ct);

        var audit = Assert.Single(page.GetProperty("audits").EnumerateArray());
        Assert.Equal(token.Id, audit.GetProperty("authenticationToken").GetString());
        Assert.Equal("203.0.113.7", audit.GetProperty("originAddress").GetString());
        Assert.Equal("WRITE", audit.GetProperty("eventType").GetString());
        Assert.Equal(t0.AddHours(1).ToUnixTimeMilliseconds(), s.Account.GetPlatformToken(token.Id)!.LastUsedAt!.Value.ToUnixTimeMilliseconds());
    }

    private static async Task<Scenario> StartAsync(SandboxPlatformReading reading)
    {
        var sandbox = await Sandbox.StartAsync(new SandboxOptions { PlatformReading = reading }, Ct);
        var account = sandbox.AddAccount();
        var client = account.AddOAuthClient();
        var http = new HttpClient { BaseAddress = sandbox.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await BearerAsync(http, sandbox, account, client, "account-idm-read account-idm-write"));
        return new Scenario(sandbox, account, http);
    }

    private static async Task<string> BearerAsync(HttpClient http, Sandbox sandbox, SandboxAccount account, SandboxOAuthClientCredentials client, string scopes)
    {
        using var response = await http.PostAsync(sandbox.SsoTokenEndpoint, Form(account, client, scopes), Ct);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("access_token").GetString()!;
    }

    private static FormUrlEncodedContent Form(SandboxAccount account, SandboxOAuthClientCredentials client, string scopes) => new(new Dictionary<string, string>
    {
        ["grant_type"] = "client_credentials",
        ["client_id"] = client.ClientId,
        ["client_secret"] = client.ClientSecret,
        ["scope"] = scopes,
        ["resource"] = $"urn:dtaccount:{account.Uuid}",
    });

    private static Task<HttpResponseMessage> GetAsync(HttpClient http, SandboxAccount account, string bearer)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"iam/v1/accounts/{account.Uuid}/platform-tokens");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return http.SendAsync(request, Ct);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static IEnumerable<string> Ids(JsonElement page) => page.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("tokenId").GetString()!);

    private sealed record Scenario(Sandbox Sandbox, SandboxAccount Account, HttpClient Http) : IAsyncDisposable
    {
        public string Path => $"iam/v1/accounts/{Account.Uuid}/platform-tokens";

        public Task<JsonElement> ListAsync(string query) => Http.GetFromJsonAsync<JsonElement>(Path + "?" + query, Ct);

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await Sandbox.DisposeAsync();
        }
    }
}
