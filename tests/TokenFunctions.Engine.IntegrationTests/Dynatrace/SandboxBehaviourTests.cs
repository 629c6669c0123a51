using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using TokenFunctions.DynatraceSandbox;
using Sandbox = TokenFunctions.DynatraceSandbox.DynatraceSandbox;

namespace TokenFunctions.Engine.IntegrationTests.Dynatrace;

/// <summary>The sandbox itself, over raw HTTP: the documented behaviours the clients and benchmarks rely on.</summary>
public sealed class SandboxBehaviourTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task List_refuses_nextPageKey_with_other_parameters_and_projects_fields()
    {
        await using var sandbox = await Sandbox.StartAsync(cancellationToken: Ct);
        var environment = sandbox.AddEnvironment("env1");
        var admin = environment.AddManagementToken();
        environment.AddTokens(150);
        using var http = Client(sandbox, admin);

        var first = await http.GetFromJsonAsync<JsonElement>("e/env1/api/v2/apiTokens?pageSize=100", Ct);
        var key = first.GetProperty("nextPageKey").GetString()!;
        var mixed = await http.GetAsync($"e/env1/api/v2/apiTokens?nextPageKey={key}&pageSize=100", Ct);
        var explicitFields = await http.GetFromJsonAsync<JsonElement>("e/env1/api/v2/apiTokens?pageSize=100&fields=name,scopes", Ct);
        var last = await http.GetFromJsonAsync<JsonElement>($"e/env1/api/v2/apiTokens?nextPageKey={key}", Ct);

        Assert.Equal(100, first.GetProperty("apiTokens").GetArrayLength());
        Assert.Equal(151, first.GetProperty("totalCount").GetInt64());
        Assert.Equal(["id", "name", "enabled", "owner", "creationDate"], first.GetProperty("apiTokens")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(HttpStatusCode.BadRequest, mixed.StatusCode);
        Assert.Contains("nextPageKey", await mixed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(["id", "name", "scopes"], explicitFields.GetProperty("apiTokens")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(51, last.GetProperty("apiTokens").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, last.GetProperty("nextPageKey").ValueKind);
    }

    [Fact]
    public async Task Selector_criteria_are_ANDed_and_scopes_ORed()
    {
        await using var sandbox = await Sandbox.StartAsync(cancellationToken: Ct);
        var environment = sandbox.AddEnvironment("env1");
        var admin = environment.AddManagementToken();
        environment.AddToken(new SandboxApiTokenSeed { Owner = "a@x", Scopes = ["logs.read"] });
        environment.AddToken(new SandboxApiTokenSeed { Owner = "a@x", Scopes = ["metrics.read"], PersonalAccessToken = true });
        environment.AddToken(new SandboxApiTokenSeed { Owner = "b@x", Scopes = ["logs.read"] });
        using var http = Client(sandbox, admin);

        var byOwnerAndScope = await CountAsync(http, """owner("a@x"),scope("logs.read","metrics.read"),personalAccessToken(false)""");
        var eitherScope = await CountAsync(http, """scope("logs.read","metrics.read")""");
        var bad = await http.GetAsync("e/env1/api/v2/apiTokens?apiTokenSelector=" + Uri.EscapeDataString("colour(\"red\")"), Ct);

        Assert.Equal(1, byOwnerAndScope);
        Assert.Equal(3, eitherScope);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Lookup_accepts_any_scope_but_other_endpoints_check_theirs()
    {
        await using var sandbox = await Sandbox.StartAsync(cancellationToken: Ct);
        var environment = sandbox.AddEnvironment("env1");
        var ingest = environment.AddToken(new SandboxApiTokenSeed { Scopes = ["metrics.ingest"] });
        using var http = Client(sandbox, ingest);

        var lookup = await http.PostAsJsonAsync("e/env1/api/v2/apiTokens/lookup", new { token = ingest.Secret }, Ct);
        var get = await http.GetAsync($"e/env1/api/v2/apiTokens/{ingest.Id}", Ct);
        http.DefaultRequestHeaders.Authorization = null;
        var anonymous = await http.PostAsJsonAsync("e/env1/api/v2/apiTokens/lookup", new { token = ingest.Secret }, Ct);

        Assert.Equal(HttpStatusCode.OK, lookup.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, get.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.NotNull(environment.GetToken(ingest.Id)!.LastUsedDate);
    }

    [Fact]
    public async Task Create_accepts_relative_and_epoch_expiry_and_refuses_the_past()
    {
        await using var sandbox = await Sandbox.StartAsync(cancellationToken: Ct);
        var environment = sandbox.AddEnvironment("env1");
        using var http = Client(sandbox, environment.AddManagementToken());

        var relative = await http.PostAsJsonAsync("e/env1/api/v2/apiTokens", new { name = "a", scopes = new[] { "metrics.read" }, expirationDate = "now+14d" }, Ct);
        var epoch = await http.PostAsJsonAsync("e/env1/api/v2/apiTokens", new { name = "b", scopes = new[] { "metrics.read" }, expirationDate = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds() }, Ct);
        var past = await http.PostAsJsonAsync("e/env1/api/v2/apiTokens", new { name = "c", scopes = new[] { "metrics.read" }, expirationDate = "2020-01-01T00:00:00Z" }, Ct);
        var nameless = await http.PostAsJsonAsync("e/env1/api/v2/apiTokens", new { scopes = new[] { "metrics.read" } }, Ct);

        Assert.Equal(HttpStatusCode.Created, relative.StatusCode);
        var created = await relative.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var expiry = DateTimeOffset.Parse(created.GetProperty("expirationDate").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expiry - DateTimeOffset.UtcNow, TimeSpan.FromDays(13.9), TimeSpan.FromDays(14.1));
        Assert.StartsWith(created.GetProperty("id").GetString()! + ".", created.GetProperty("token").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, epoch.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, nameless.StatusCode);
    }

    [Fact]
    public async Task The_rate_limit_answers_429_with_the_requested_hint()
    {
        await using var sandbox = await Sandbox.StartAsync(cancellationToken: Ct);
        var environment = sandbox.AddEnvironment("env1");
        var admin = environment.AddManagementToken();
        using var http = Client(sandbox, admin);
        environment.Faults.SetRateLimit(permitsPerSecond: 1, burst: 1, SandboxRateLimitHint.RetryAfter);

        var first = await http.GetAsync($"e/env1/api/v2/apiTokens/{admin.Id}", Ct);
        var second = await http.GetAsync($"e/env1/api/v2/apiTokens/{admin.Id}", Ct);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), second.Headers.RetryAfter!.Delta);
        environment.Faults.Clear();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"e/env1/api/v2/apiTokens/{admin.Id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task Faults_can_target_one_endpoint_and_leave_the_rest_alone()
    {
        await using var sandbox = await Sandbox.StartAsync(cancellationToken: Ct);
        var environment = sandbox.AddEnvironment("env1");
        var admin = environment.AddManagementToken();
        using var http = Client(sandbox, admin);
        environment.Faults.SetPersistent(SandboxFault.Status(503, emptyBody: true), SandboxEndpoint.ApiTokensUpdate);

        var get = await http.GetAsync($"e/env1/api/v2/apiTokens/{admin.Id}", Ct);
        var put = await http.PutAsJsonAsync($"e/env1/api/v2/apiTokens/{admin.Id}", new { name = "x" }, Ct);

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, put.StatusCode);
        Assert.Empty(await put.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(1, environment.CallCount(SandboxEndpoint.ApiTokensUpdate));
    }

    [Fact]
    public async Task An_expired_bearer_is_refused()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sandbox = await Sandbox.StartAsync(new SandboxOptions { TimeProvider = time }, Ct);
        var account = sandbox.AddAccount();
        var client = account.AddOAuthClient();
        using var http = new HttpClient { BaseAddress = sandbox.BaseUrl };
        var token = await http.PostAsync(sandbox.SsoTokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = client.ClientId,
            ["client_secret"] = client.ClientSecret,
            ["scope"] = "account-idm-read",
            ["resource"] = $"urn:dtaccount:{account.Uuid}",
        }), Ct);
        var body = await token.Content.ReadFromJsonAsync<JsonElement>(Ct);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("access_token").GetString());
        var path = $"iam/v1/accounts/{account.Uuid}/platform-tokens";

        var fresh = await http.GetAsync(path, Ct);
        time.Advance(TimeSpan.FromSeconds(300));
        var expired = await http.GetAsync(path, Ct);

        Assert.Equal(300, body.GetProperty("expires_in").GetInt32());
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
    }

    [Fact]
    public async Task A_seed_file_loads_environments_accounts_and_defaults()
    {
        var path = Path.Combine(Path.GetTempPath(), $"seed-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, """
            {
              // comments are allowed
              "defaultEnvironment": "b",
              "environments": [
                { "id": "a", "tokens": [ { "id": "dt0c01.AAAAAAAAAAAAAAAAAAAAAAAA", "secret": "admin-a", "scopes": [ "apiTokens.read" ] } ] },
                { "id": "b" }
              ],
              "accounts": [ { "uuid": "2b794097-8ad2-4b32-b923-0131da2eeddf", "statusSuccessCode": 200,
                              "clients": [ { "clientId": "dt0s02.LOCALCLI", "clientSecret": "s" } ],
                              "platformTokens": [ { "id": "dt0s16.LOCALPT1", "active": false } ] } ]
            }
            """, Ct);
        try
        {
            await using var sandbox = await Sandbox.StartAsync(new SandboxOptions { Seed = SandboxSeed.Load(path) }, Ct);

            Assert.Equal("b", sandbox.DefaultEnvironmentId);
            var token = sandbox.Environment("a").GetToken("dt0c01.AAAAAAAAAAAAAAAAAAAAAAAA")!;
            Assert.True(token.Enabled);
            Assert.Equal(["apiTokens.read"], token.Scopes);
            Assert.Equal(0, sandbox.Environment("b").TokenCount);
            var account = sandbox.Account(Guid.Parse("2b794097-8ad2-4b32-b923-0131da2eeddf"));
            Assert.Equal(200, account.StatusSuccessCode);
            Assert.False(account.GetPlatformToken("dt0s16.LOCALPT1")!.IsActive);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Ten_thousand_tokens_over_five_environments_seed_and_list_in_one_page_each()
    {
        await using var sandbox = await Sandbox.StartAsync(new SandboxOptions { RecordRequests = false }, Ct);
        var environments = sandbox.AddEnvironments(5);
        foreach (var (environment, _) in environments)
        {
            environment.AddTokens(2_000);
        }

        var (first, credential) = environments[0];
        using var http = Client(sandbox, credential);
        var page = await http.GetFromJsonAsync<JsonElement>("e/env1/api/v2/apiTokens?pageSize=10000", Ct);

        Assert.Equal(10_005, environments.Sum(e => e.Environment.TokenCount));
        Assert.Equal(2_001, page.GetProperty("apiTokens").GetArrayLength());
        Assert.Empty(sandbox.Requests);
        Assert.Equal(1, first.CallCount(SandboxEndpoint.ApiTokensList));
    }

    [Fact]
    public async Task A_write_whose_client_goes_away_during_the_latency_is_not_applied_and_is_journaled_499_not_200()
    {
        await using var sandbox = await Sandbox.StartAsync(cancellationToken: Ct);
        var environment = sandbox.AddEnvironment("env1");
        var admin = environment.AddManagementToken();
        var token = environment.AddToken(new SandboxApiTokenSeed { Name = "in-flight" });
        environment.Faults.Latency = TimeSpan.FromMinutes(1);
        using var http = Client(sandbox, admin);
        var callsBefore = environment.TotalCalls;

        // A killed worker's disable: the request arrived, the client vanished while the sandbox was still waiting.
        using var gone = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var put = http.PutAsJsonAsync($"e/env1/api/v2/apiTokens/{token.Id}", new { enabled = false }, gone.Token);
        Assert.True(SpinWait.SpinUntil(() => environment.TotalCalls > callsBefore, TimeSpan.FromSeconds(10)));
        await gone.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => put);
        Assert.True(SpinWait.SpinUntil(() => sandbox.Requests.Any(r => r.Method == "PUT"), TimeSpan.FromSeconds(10)));

        var journaled = Assert.Single(sandbox.Requests, r => r.Method == "PUT");
        Assert.Equal(499, journaled.StatusCode);
        Assert.True(environment.GetToken(token.Id)!.Enabled);
    }

    private static HttpClient Client(Sandbox sandbox, SandboxIssuedToken credential)
    {
        var http = new HttpClient { BaseAddress = sandbox.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Api-Token", credential.Secret);
        return http;
    }

    private static async Task<int> CountAsync(HttpClient http, string selector)
    {
        var page = await http.GetFromJsonAsync<JsonElement>("e/env1/api/v2/apiTokens?apiTokenSelector=" + Uri.EscapeDataString(selector), TestContext.Current.CancellationToken);
        return page.GetProperty("totalCount").GetInt32();
    }
}
