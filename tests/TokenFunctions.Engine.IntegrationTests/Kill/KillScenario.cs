using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.IntegrationTests.Dynatrace;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;
using TokenFunctions.Engine.Tokens;
using Sandbox = TokenFunctions.DynatraceSandbox.DynatraceSandbox;

namespace TokenFunctions.Engine.IntegrationTests.Kill;

/// <summary>
/// The kill-switch as the app wires it — AddDynatrace + AddKill + AddTokenRedaction — against a loopback sandbox
/// with <c>env1…envN</c> (each with its own management token) and optionally one account with an OAuth client.
/// </summary>
internal sealed class KillScenario : IAsyncDisposable
{
    private KillScenario(Sandbox sandbox, ServiceProvider services, LogCapture logs, RecordingAuditSink audit, IReadOnlyList<(SandboxEnvironment Environment, SandboxIssuedToken Credential)> environments, IReadOnlyList<SandboxAccount> accounts)
    {
        var account = accounts.Count == 0 ? null : accounts[0];
        Accounts = accounts;
        Sandbox = sandbox;
        Services = services;
        Logs = logs;
        Audit = audit;
        Environments = environments;
        Account = account;
    }

    public Sandbox Sandbox { get; }

    public ServiceProvider Services { get; }

    public LogCapture Logs { get; }

    public RecordingAuditSink Audit { get; }

    public IReadOnlyList<(SandboxEnvironment Environment, SandboxIssuedToken Credential)> Environments { get; }

    public SandboxAccount? Account { get; }

    /// <summary>Named <c>acct</c>, <c>acct2</c>, <c>acct3</c>…</summary>
    public IReadOnlyList<SandboxAccount> Accounts { get; }

    public IKillService Kill => Services.GetRequiredService<IKillService>();

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public SandboxEnvironment Env(int oneBased) => Environments[oneBased - 1].Environment;

    public static async Task<KillScenario> StartAsync(
        int environments = 1,
        bool account = false,
        Action<DynatraceConfig>? configure = null,
        Func<int, DisableApi>? disableApi = null,
        int accounts = 0,
        int pageBase = 0,
        IEnumerable<string>? grantedScopes = null)
    {
        var sandbox = await Sandbox.StartAsync(new SandboxOptions { RecordRequests = false, PlatformTokenPageBase = pageBase }, Ct);
        var added = sandbox.AddEnvironments(environments);
        var config = new DynatraceConfig()
            // Faults here are status codes, never hangs: the short deadline bounds the persistent-5xx tests, and an attempt
            // may use all of it, so a healthy request slowed by a loaded machine is not retried and counted twice.
            .Set("Dynatrace:RequestDeadline", "00:00:02")
            .Set("Dynatrace:AttemptTimeout", "00:00:02");
        for (var i = 0; i < added.Count; i++)
        {
            config.Environment(added[i].Environment.Id, sandbox.EnvironmentBaseUrl(added[i].Environment.Id), added[i].Credential.Secret, disableApi: disableApi?.Invoke(i + 1) ?? DisableApi.V2);
        }

        var sandboxAccounts = new List<SandboxAccount>();
        for (var i = 1; i <= Math.Max(accounts, account ? 1 : 0); i++)
        {
            var sandboxAccount = sandbox.AddAccount();
            var client = sandboxAccount.AddOAuthClient(scopes: grantedScopes);
            config.Account(i == 1 ? "acct" : "acct" + i, sandboxAccount.Uuid, client.ClientId, client.ClientSecret, sandbox.SsoTokenEndpoint, sandbox.AccountApiBaseUrl);
            config.Set("KillSwitch:MaxRequestsPerSecondPerAccount", "0");
            sandboxAccounts.Add(sandboxAccount);
        }

        configure?.Invoke(config);
        var logs = new LogCapture();
        var audit = new RecordingAuditSink();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs).AddTokenRedaction());
        services.AddSingleton<IAuditSink>(audit);
        var configuration = config.Build();
        services.AddDynatrace(configuration);
        services.AddKill(configuration);
        return new KillScenario(sandbox, services.BuildServiceProvider(), logs, audit, added, sandboxAccounts);
    }

    public Task<KillResult> DisableAsync(params Leak[] leaks) => Kill.DisableAsync(new KillRequest(leaks), Ct);

    public static Leak LeakOf(SandboxIssuedToken token, string source = "github-alert") =>
        Leak.FromSecret(TokenSecret.Parse(token.Secret), source, "corr-" + token.Id[^6..]);

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
