using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.KeyVault;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Sources;
using TokenFunctions.Engine.Sources.Deliveries;
using TokenFunctions.Engine.Sources.Generic;
using TokenFunctions.Engine.Sources.GitGuardian;
using TokenFunctions.Engine.Sources.GitHub;
using TokenFunctions.Engine.Sources.GitHubPartner;
using TokenFunctions.Engine.Sources.GitLab;

namespace TokenFunctions.Engine.Tests.Sources.Support;

/// <summary>
/// The real <c>AddLeakSources</c> wiring with recording fakes for what other capabilities provide, a fake clock and an
/// in-memory ledger (unless the caller registers another).
/// </summary>
public sealed class SourcesHarness : IDisposable
{
    public const string GitHubSecret = "It's a Secret to Everybody";
    public const string GitGuardianToken = "gg-signature-token";
    public const string GenericSecret = "generic-webhook-secret";
    public const string GitLabToken = "gitlab-preshared-token";

    private readonly Action<IServiceCollection>? _configure;
    private readonly bool _fakeGitHub;
    private readonly bool _fakePartnerKeys;

    private SourcesHarness(Dictionary<string, string?> settings, Action<IServiceCollection>? configure, bool fakeGitHub, bool fakePartnerKeys, bool realTime)
    {
        Configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        _configure = configure;
        _fakeGitHub = fakeGitHub;
        _fakePartnerKeys = fakePartnerKeys;
        Clock = realTime ? TimeProvider.System : Time;
        var services = new ServiceCollection();
        AddTo(services);
        Services = services.BuildServiceProvider();
        Metrics = new MetricsCapture(Services.GetRequiredService<IMeterFactory>());
    }

    /// <summary>The clock the services use: <see cref="Time"/>, or the system clock for tests over real HTTP with retries.</summary>
    public TimeProvider Clock { get; }

    /// <summary>Registers the fakes (shared instances) and <c>AddLeakSources</c>, e.g. into a Kestrel host's services.</summary>
    public void AddTo(IServiceCollection services)
    {
        services.AddLogging();
        services.AddSingleton(Clock);
        services.AddSingleton<IKillService>(Kill);
        services.AddSingleton<IIncidentQueue>(Queue);
        services.AddSingleton<IAuditSink>(Audit);
        services.AddSingleton<IManagedCredentialIndex>(Credentials);
        if (_fakeGitHub)
        {
            services.AddSingleton<IGitHubAlertClient>(GitHub);
        }

        if (_fakePartnerKeys)
        {
            services.AddSingleton<IPartnerPublicKeyProvider>(PartnerKeys);
        }

        _configure?.Invoke(services);
        services.AddLeakSources(Configuration);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>Disables everything unless a test scripts <see cref="RecordingKillService.Behavior"/> otherwise.</summary>
    public RecordingKillService Kill { get; } = new() { Behavior = static (r, _) => Task.FromResult(RecordingKillService.Respond(r, TokenOutcomeKind.Disabled)) };

    public RecordingIncidentQueue Queue { get; } = new();

    public RecordingAuditSink Audit { get; } = new();

    public FakeCredentialIndex Credentials { get; } = new();

    public FakeGitHubAlertClient GitHub { get; } = new();

    public FakePartnerKeys PartnerKeys { get; } = new();

    public IConfigurationRoot Configuration { get; }

    public ServiceProvider Services { get; }

    public MetricsCapture Metrics { get; }

    public GitHubAlertEndpoint GitHubAlert => Services.GetRequiredService<GitHubAlertEndpoint>();

    public GitHubPartnerEndpoint Partner => Services.GetRequiredService<GitHubPartnerEndpoint>();

    public GitGuardianEndpoint GitGuardian => Services.GetRequiredService<GitGuardianEndpoint>();

    public GenericWebhookEndpoint Generic => Services.GetRequiredService<GenericWebhookEndpoint>();

    public GitLabRevocationEndpoint GitLab => Services.GetRequiredService<GitLabRevocationEndpoint>();

    public IDeliveryClaims Ledger => Services.GetRequiredService<IDeliveryClaims>();

    public long NowUnix => Clock.GetUtcNow().ToUnixTimeSeconds();

    public static Dictionary<string, string?> DefaultSettings() => new()
    {
        ["Sources:GitHub:WebhookSecret"] = GitHubSecret,
        ["Sources:GitHub:Token"] = "ghp_test",
        ["Sources:GitGuardian:SignatureToken"] = GitGuardianToken,
        ["Sources:Generic:Secret"] = GenericSecret,
        ["Sources:GitLab:Token"] = GitLabToken,
        ["Sources:Ledger:Mode"] = "InMemory",
    };

    public static SourcesHarness Create(
        Action<Dictionary<string, string?>>? settings = null,
        Action<IServiceCollection>? services = null,
        bool fakeGitHub = true,
        bool fakePartnerKeys = true,
        bool realTime = false)
    {
        var values = DefaultSettings();
        settings?.Invoke(values);
        return new SourcesHarness(values, services, fakeGitHub, fakePartnerKeys, realTime);
    }

    public void Dispose()
    {
        Metrics.Dispose();
        PartnerKeys.Dispose();
        Services.Dispose();
    }
}
