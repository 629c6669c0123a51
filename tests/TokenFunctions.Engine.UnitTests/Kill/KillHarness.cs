using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;
using TokenFunctions.Engine.Rotation;
using TokenFunctions.Engine.Tokens;
using TokenFunctions.Engine.UnitTests.Tokens;

namespace TokenFunctions.Engine.UnitTests.Kill;

/// <summary>The engine wired the way the app wires it (AddKill), over fakes, with logs and metrics captured.</summary>
internal sealed class KillHarness : IDisposable
{
    private readonly Lazy<ServiceProvider> _services;

    public KillHarness(int environments = 1, int accounts = 0)
    {
        Environments = [.. Enumerable.Range(1, environments).Select(i => new FakeEnvironmentClient($"env{i}"))];
        Accounts = [.. Enumerable.Range(1, accounts).Select(i => new FakeAccountClient($"account{i}", clientId: $"dt0s02.CLIENT{i:D2}"))];
        _services = new Lazy<ServiceProvider>(Build);
    }

    public List<FakeEnvironmentClient> Environments { get; }

    public List<FakeAccountClient> Accounts { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    public RecordingAuditSink Audit { get; } = new();

    public LogCapture Logs { get; } = new();

    public FakeLeakRotation? Rotation { get; set; }

    public ICredentialProvider? Credentials { get; set; }

    /// <summary>
    /// Configuration values under <c>KillSwitch:</c>, bound by AddKill. Account pacing is off by default here because
    /// the fake clock only moves when a test moves it; pacing has its own tests.
    /// </summary>
    public Dictionary<string, string?> Settings { get; } = new() { ["MaxRequestsPerSecondPerAccount"] = "0" };

    /// <summary>Install the redacting logger factory (as the app does); off by default to prove the engine is clean on its own.</summary>
    public bool RedactLogs { get; set; }

    public MetricsCapture Metrics => _metrics ?? throw new InvalidOperationException("Engine not built yet.");

    public IKillService Engine => _services.Value.GetRequiredService<IKillService>();

    public ServiceProvider Services => _services.Value;

    private MetricsCapture? _metrics;

    public Task<KillResult> DisableAsync(params Leak[] leaks) =>
        Engine.DisableAsync(new KillRequest(leaks), TestContext.Current.CancellationToken);

    public void Dispose()
    {
        _metrics?.Dispose();
        if (_services.IsValueCreated)
        {
            _services.Value.Dispose();
        }
    }

    private ServiceProvider Build()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(Settings.ToDictionary(kv => "KillSwitch:" + kv.Key, kv => kv.Value))
            .Build();
        var services = new ServiceCollection();
        services.AddLogging(b =>
        {
            b.SetMinimumLevel(LogLevel.Trace);
            b.AddProvider(Logs);
            if (RedactLogs)
            {
                b.AddTokenRedaction();
            }
        });
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton<IDynatraceDirectory>(new FakeDirectory(Environments, Accounts));
        services.AddSingleton<IAuditSink>(Audit);
        if (Rotation is not null)
        {
            services.AddSingleton<ILeakRotation>(Rotation);
        }

        if (Credentials is not null)
        {
            services.AddSingleton(Credentials);
        }

        services.AddKill(configuration);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _metrics = new MetricsCapture(provider.GetRequiredService<IMeterFactory>());
        return provider;
    }
}
