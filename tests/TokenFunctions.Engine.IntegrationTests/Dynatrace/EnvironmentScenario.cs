using Microsoft.Extensions.DependencyInjection;
using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Engine.Dynatrace;
using Sandbox = TokenFunctions.DynatraceSandbox.DynatraceSandbox;

namespace TokenFunctions.Engine.IntegrationTests.Dynatrace;

/// <summary>A sandbox environment with a management token (and optionally a spare one), and the real client wired by <c>AddDynatrace</c>.</summary>
internal sealed class EnvironmentScenario : IAsyncDisposable
{
    private EnvironmentScenario(Sandbox sandbox, SandboxEnvironment environment, SandboxIssuedToken admin, SandboxIssuedToken? spare, LogCapture logs, ServiceProvider services)
    {
        Sandbox = sandbox;
        Environment = environment;
        Admin = admin;
        Spare = spare;
        Logs = logs;
        Services = services;
        Client = services.GetRequiredService<IDynatraceDirectory>().Environments[0];
    }

    public Sandbox Sandbox { get; }

    public SandboxEnvironment Environment { get; }

    public SandboxIssuedToken Admin { get; }

    public SandboxIssuedToken? Spare { get; }

    public LogCapture Logs { get; }

    public ServiceProvider Services { get; }

    public IEnvironmentTokenClient Client { get; }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<EnvironmentScenario> StartAsync(bool secondary = false, DisableApi disableApi = DisableApi.V2, Action<DynatraceConfig>? configure = null)
    {
        var sandbox = await Sandbox.StartAsync(cancellationToken: Ct);
        var environment = sandbox.AddEnvironment("env1");
        var admin = environment.AddManagementToken();
        var spare = secondary ? environment.AddManagementToken("tokenfunctions-killswitch-2") : null;
        var config = new DynatraceConfig().Environment("prod", sandbox.EnvironmentBaseUrl("env1"), admin.Secret, spare?.Secret, disableApi);
        configure?.Invoke(config);
        var logs = new LogCapture();
        return new EnvironmentScenario(sandbox, environment, admin, spare, logs, config.Services(logs));
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
