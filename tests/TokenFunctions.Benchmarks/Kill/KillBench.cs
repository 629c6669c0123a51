using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;
using TokenFunctions.Engine.Tokens;
using Sandbox = TokenFunctions.DynatraceSandbox.DynatraceSandbox;

namespace TokenFunctions.Benchmarks.Kill;

/// <summary>
/// A loopback sandbox with <c>env1…envN</c> and optionally <c>acct1…acctM</c> (each with an OAuth client), the engine wired
/// as the app wires it (AddDynatrace + AddKill, logging registered but no sink, a no-op audit sink), and a bare
/// <see cref="HttpClient"/> for the baselines.
/// </summary>
internal sealed class KillBench : IAsyncDisposable
{
    private KillBench(
        Sandbox sandbox,
        IReadOnlyList<(SandboxEnvironment Environment, SandboxIssuedToken Credential)> environments,
        IReadOnlyList<(SandboxAccount Account, SandboxOAuthClientCredentials Client)> accounts,
        ServiceProvider services)
    {
        Sandbox = sandbox;
        Environments = environments;
        Accounts = accounts;
        Services = services;
        Kill = services.GetRequiredService<IKillService>();
        Http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false });
    }

    public Sandbox Sandbox { get; }

    public IReadOnlyList<(SandboxEnvironment Environment, SandboxIssuedToken Credential)> Environments { get; }

    public IReadOnlyList<(SandboxAccount Account, SandboxOAuthClientCredentials Client)> Accounts { get; }

    public ServiceProvider Services { get; }

    public IKillService Kill { get; }

    public HttpClient Http { get; }

    public static async Task<KillBench> StartAsync(int environments, IReadOnlyDictionary<string, string?>? settings = null, int accounts = 0, SandboxPlatformReading? reading = null)
    {
        var sandbox = await Sandbox.StartAsync(new SandboxOptions { RecordRequests = false, PlatformReading = reading });
        var added = sandbox.AddEnvironments(environments);
        var addedAccounts = new List<(SandboxAccount, SandboxOAuthClientCredentials)>();
        var values = new Dictionary<string, string?>
        {
            ["Dynatrace:RequestDeadline"] = "00:01:00",
            ["Dynatrace:AttemptTimeout"] = "00:00:10",
        };
        for (var i = 0; i < added.Count; i++)
        {
            values[$"Dynatrace:Environments:{i}:Name"] = added[i].Environment.Id;
            values[$"Dynatrace:Environments:{i}:ApiBaseUrl"] = sandbox.EnvironmentBaseUrl(added[i].Environment.Id).ToString();
            values[$"Dynatrace:Environments:{i}:Credential"] = added[i].Credential.Secret;
        }

        for (var i = 0; i < accounts; i++)
        {
            var account = sandbox.AddAccount();
            var client = account.AddOAuthClient();
            addedAccounts.Add((account, client));
            values[$"Dynatrace:Accounts:{i}:Name"] = $"acct{i + 1}";
            values[$"Dynatrace:Accounts:{i}:AccountUuid"] = account.Uuid.ToString();
            values[$"Dynatrace:Accounts:{i}:ClientId"] = client.ClientId;
            values[$"Dynatrace:Accounts:{i}:ClientSecret"] = client.ClientSecret;
            values[$"Dynatrace:Accounts:{i}:SsoTokenEndpoint"] = sandbox.SsoTokenEndpoint.ToString();
            values[$"Dynatrace:Accounts:{i}:ApiBaseUrl"] = sandbox.AccountApiBaseUrl.ToString();
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IAuditSink, NoAuditSink>();
        services.AddDynatrace(configuration).AddKill(configuration);
        return new KillBench(sandbox, added, addedAccounts, services.BuildServiceProvider());
    }

    public static Leak LeakOf(SandboxIssuedToken token, string? ownerHint = null) =>
        Leak.FromSecret(TokenSecret.Parse(token.Secret), "benchmark", "bench") with { OwnerHint = ownerHint };

    /// <summary>The engine's kill of one leak, which must end Disabled.</summary>
    public async Task DisableOneAsync(Leak leak)
    {
        var result = await Kill.DisableAsync(new KillRequest([leak]), CancellationToken.None);
        if (result.Outcomes[0].Outcome != TokenOutcomeKind.Disabled)
        {
            throw new InvalidOperationException(result.Outcomes[0].ToString());
        }
    }

    /// <summary>What the engine's write is on the wire: <c>PUT /api/v2/apiTokens/{id}</c> with <c>{"enabled":false}</c>.</summary>
    public async Task BarePutAsync(int environment, string tokenId)
    {
        var (env, credential) = Environments[environment];
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(Sandbox.EnvironmentBaseUrl(env.Id), $"api/v2/apiTokens/{tokenId}"))
        {
            Content = new StringContent("{\"enabled\":false}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Api-Token", credential.Secret);
        using var response = await Http.SendAsync(request);
        if ((int)response.StatusCode != 204)
        {
            throw new InvalidOperationException($"PUT answered {(int)response.StatusCode}");
        }
    }

    /// <summary>What the engine's read is on the wire: <c>POST /api/v2/apiTokens/lookup</c> with the leaked token.</summary>
    public async Task BareLookupAsync(int environment, string secret)
    {
        var (env, credential) = Environments[environment];
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Sandbox.EnvironmentBaseUrl(env.Id), "api/v2/apiTokens/lookup"))
        {
            Content = new StringContent($"{{\"token\":\"{secret}\"}}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Api-Token", credential.Secret);
        using var response = await Http.SendAsync(request);
        _ = await response.Content.ReadAsByteArrayAsync();
        if ((int)response.StatusCode != 200)
        {
            throw new InvalidOperationException($"lookup answered {(int)response.StatusCode}");
        }
    }

    /// <summary>What the engine's batch read is on the wire: one <c>GET /api/v2/apiTokens</c> page with the fields it decides on.</summary>
    public async Task BareListAsync(int environment)
    {
        var (env, credential) = Environments[environment];
        // The engine's own query string (default fields, one page of 10,000), so only the client around it differs.
        var query = "api/v2/apiTokens" + EnvironmentTokenClient.ListQuery(new ApiTokenQuery { PageSize = 10_000 });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Sandbox.EnvironmentBaseUrl(env.Id), query));
        request.Headers.Authorization = new AuthenticationHeaderValue("Api-Token", credential.Secret);
        using var response = await Http.SendAsync(request);
        _ = await response.Content.ReadAsByteArrayAsync();
        if ((int)response.StatusCode != 200)
        {
            throw new InvalidOperationException($"list answered {(int)response.StatusCode}");
        }
    }

    /// <summary>An SSO bearer for an account's client, fetched outside the measurement (the engine caches its own).</summary>
    public async Task<string> BearerAsync(int account)
    {
        var (acct, client) = Accounts[account];
        using var form = new FormUrlEncodedContent(
        [
            new("grant_type", "client_credentials"),
            new("client_id", client.ClientId),
            new("client_secret", client.ClientSecret),
            new("scope", DynatraceAccount.DefaultScopes),
            new("resource", $"urn:dtaccount:{acct.Uuid}"),
        ]);
        using var response = await Http.PostAsync(Sandbox.SsoTokenEndpoint, form);
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>What the engine's platform write is on the wire: <c>PUT …/platform-tokens/{id}/status</c> <c>{"status":"INACTIVE"}</c>.</summary>
    public async Task BarePlatformPutAsync(int account, string bearer, string tokenId)
    {
        var acct = Accounts[account].Account;
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(Sandbox.AccountApiBaseUrl, $"iam/v1/accounts/{acct.Uuid}/platform-tokens/{tokenId}/status"))
        {
            Content = new StringContent("{\"status\":\"INACTIVE\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        using var response = await Http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"PUT answered {(int)response.StatusCode}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Services.DisposeAsync();
        await Sandbox.DisposeAsync();
    }

    private sealed class NoAuditSink : IAuditSink
    {
        public Task WriteAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
