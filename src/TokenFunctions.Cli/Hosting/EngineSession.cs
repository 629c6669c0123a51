using Azure.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using TokenFunctions.Cli.Sandbox;
using TokenFunctions.Cli.Storage;
using TokenFunctions.Engine;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Handlers;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Rotation;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Cli.Hosting;

/// <summary>
/// The engine composed exactly as the function app composes it (<c>AddTokenFunctionsEngine</c> over the same settings,
/// redaction last), started as a host so options are validated and notifications are sent; optionally with the sandbox.
/// </summary>
internal sealed class EngineSession : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly bool _ownsSandbox;

    private EngineSession(IHost host, CliSandbox? sandbox, bool ownsSandbox, EmbeddedStores stores)
    {
        _host = host;
        Sandbox = sandbox;
        _ownsSandbox = ownsSandbox;
        Stores = stores;
    }

    public IServiceProvider Services => _host.Services;

    public CliSandbox? Sandbox { get; }

    public EmbeddedStores Stores { get; }

    public T Get<T>()
        where T : notnull => _host.Services.GetRequiredService<T>();

    public static async Task<EngineSession> StartAsync(CliContext context, CancellationToken cancellationToken, CliSandbox? sandbox = null, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var ownsSandbox = false;
        if (sandbox is null && context.Sandbox)
        {
            sandbox = await CliSandbox.StartAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            ownsSandbox = true;
            context.Console.Error.WriteLine($"tokenfunctions: sandbox started at {sandbox.Server.BaseUrl} (environments prod, dev; account {CliSandbox.AccountName}).");
        }

        try
        {
            var configuration = CliConfiguration.Build(context.ConfigFile, sandbox?.Configuration);
            context.Configuration = configuration;
            var drill = CliConfiguration.IsDrill(configuration);

            // A drill's audit trail and state live apart from real work: audit without --sandbox never shows a drill.
            var stores = EmbeddedStores.Decide(configuration, drill ? Path.Combine(context.StateDirectory, "sandbox") : context.StateDirectory) with { Drill = drill };
            var host = BuildHost(context, configuration, stores, overrides);
            await StartHostAsync(host, cancellationToken).ConfigureAwait(false);
            NameTargets(context.Unanswered, host.Services.GetRequiredService<IDynatraceDirectory>());

            if (stores.Audit || stores.Incidents)
            {
                context.Console.Error.WriteLine(stores.Describe());
            }

            return new EngineSession(host, sandbox, ownsSandbox, stores);
        }
        catch when (ownsSandbox)
        {
            await sandbox!.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The engine as the function app composes it, over these settings, with the CLI's logging, stores and vault.</summary>
    private static IHost BuildHost(CliContext context, IConfiguration configuration, EmbeddedStores stores, IReadOnlyDictionary<string, string?>? overrides)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = Environments.Production });
        builder.Configuration.AddConfiguration(configuration);
        builder.Configuration.AddInMemoryCollection(stores.Settings(configuration));
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        builder.Services.AddSingleton(context.Time);
        ConfigureLogging(builder.Logging, context);
        if (configuration[CliSandbox.KeyVaultTokenSetting] is { Length: > 0 } bearer && !string.IsNullOrWhiteSpace(configuration["KeyVault:LoopbackCertificateSha256"]))
        {
            // The sandbox vault's own bearer; the pin (loopback only, checked by the engine) keeps it from any real vault.
            builder.Services.AddSingleton<TokenCredential>(new StaticBearerCredential(bearer));
        }

        builder.Services.AddTokenFunctionsEngine(builder.Configuration);

        // After the engine's own handlers, so innermost: every attempt is seen, not only what the retries leave.
        builder.Services.ConfigureAll<HttpClientFactoryOptions>(o => o.HttpMessageHandlerBuilderActions.Add(b => b.AdditionalHandlers.Add(context.Unanswered.CreateHandler())));
        stores.Register(builder.Services);
        if (string.IsNullOrWhiteSpace(configuration["KeyVault:VaultUri"]))
        {
            // No vault, no managed credentials: a leaked token is still disabled, only the follow-up rotation of a
            // managed one is left out (the function app always has a vault; a responder's laptop may not).
            builder.Services.RemoveAll<ILeakRotation>();
            builder.Services.Replace(ServiceDescriptor.Singleton<IRotationRequestHandler, UnavailableRotationRequestHandler>());
        }

        builder.Logging.AddTokenRedaction();
        return builder.Build();
    }

    /// <summary>
    /// Without -v nothing is logged: what matters reaches the user as the command's result or as one error line, and a
    /// retry that later succeeded (or an outcome that says "retry later") is not news on a terminal.
    /// </summary>
    private static void ConfigureLogging(ILoggingBuilder logging, CliContext context)
    {
        logging.ClearProviders();
        if (context.Verbose)
        {
            // -v: the engine's decisions and every retry; the framework's own chatter stays at warnings.
            logging.SetMinimumLevel(LogLevel.Debug);
            logging.AddFilter("Microsoft", LogLevel.Warning).AddFilter("System", LogLevel.Warning).AddFilter("Polly", LogLevel.Warning);
            logging.AddProvider(new CliLoggerProvider(context.Console.Error));
        }
    }

    /// <summary>Starts the host (validating the options, starting the stores and hosted services); a host that fails to start is disposed.</summary>
    private static async Task StartHostAsync(IHost host, CancellationToken cancellationToken)
    {
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    private static void NameTargets(UnansweredTargets targets, IDynatraceDirectory directory)
    {
        foreach (var environment in directory.Environments)
        {
            targets.Name(environment.Environment.ApiBaseUrl, "environment " + environment.Environment.Name);
        }

        foreach (var account in directory.Accounts)
        {
            targets.Name(account.Account.ApiBaseUrl, $"account {account.Account.Name} (Account Management API)");
            targets.Name(account.Account.SsoTokenEndpoint, $"account {account.Account.Name} (SSO)");
        }
    }

    public async ValueTask DisposeAsync()
    {
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await _host.StopAsync(stop.Token).ConfigureAwait(false);
        }

        _host.Dispose();
        if (_ownsSandbox && Sandbox is not null)
        {
            await Sandbox.DisposeAsync().ConfigureAwait(false);
        }
    }
}
