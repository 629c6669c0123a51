using Microsoft.Extensions.DependencyInjection;
using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Engine.Dynatrace;
using Sandbox = TokenFunctions.DynatraceSandbox.DynatraceSandbox;

namespace TokenFunctions.Engine.IntegrationTests.Dynatrace;

/// <summary>A sandbox account with an OAuth client, and the real account client wired by <c>AddDynatrace</c>.</summary>
internal sealed class AccountScenario : IAsyncDisposable
{
    private AccountScenario(Sandbox sandbox, SandboxAccount account, SandboxOAuthClientCredentials client, SandboxOAuthClientCredentials? spare, LogCapture logs, ServiceProvider services)
    {
        Sandbox = sandbox;
        Account = account;
        OAuthClient = client;
        SpareClient = spare;
        Logs = logs;
        Services = services;
        Client = services.GetRequiredService<IDynatraceDirectory>().Accounts[0];
    }

    public Sandbox Sandbox { get; }

    public SandboxAccount Account { get; }

    public SandboxOAuthClientCredentials OAuthClient { get; }

    public SandboxOAuthClientCredentials? SpareClient { get; }

    public LogCapture Logs { get; }

    public ServiceProvider Services { get; }

    public IAccountTokenClient Client { get; }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <param name="time">Shared by the sandbox and the client, so bearer expiry can be driven without waiting.</param>
    /// <param name="wrongPrimarySecret">Configure the primary client with a secret the SSO rejects.</param>
    public static async Task<AccountScenario> StartAsync(TimeProvider? time = null, bool secondary = false, bool wrongPrimarySecret = false)
    {
        var sandbox = await Sandbox.StartAsync(new SandboxOptions { TimeProvider = time ?? TimeProvider.System }, Ct);
        var account = sandbox.AddAccount();
        var client = account.AddOAuthClient();
        var spare = secondary ? account.AddOAuthClient() : null;
        var primarySecret = wrongPrimarySecret ? client.ClientId + "." + new string('X', 64) : client.ClientSecret;
        var config = new DynatraceConfig().Account(
            "acme", account.Uuid, client.ClientId, primarySecret, sandbox.SsoTokenEndpoint, sandbox.AccountApiBaseUrl, spare?.ClientId, spare?.ClientSecret);
        var logs = new LogCapture();
        return new AccountScenario(sandbox, account, client, spare, logs, config.Services(logs, time));
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
