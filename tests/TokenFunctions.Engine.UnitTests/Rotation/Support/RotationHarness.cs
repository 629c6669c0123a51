using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.KeyVault;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;
using TokenFunctions.Engine.Rotation;
using TokenFunctions.Engine.Rotation.Jobs;
using TokenFunctions.Engine.Telemetry;
using TokenFunctions.Engine.Tokens;
using TokenFunctions.Engine.UnitTests.KeyVault.Support;

namespace TokenFunctions.Engine.UnitTests.Rotation.Support;

/// <summary>
/// Everything rotation touches, wired like production but with Key Vault and Dynatrace in memory. What survives a crash
/// (vault, Dynatrace, state store) lives on the harness; what a process holds (caches, the rotator, the jobs) is rebuilt by
/// <see cref="Restart"/>, which is how "the process died and the next timer run starts fresh" is simulated.
/// </summary>
public sealed class RotationHarness
{
    public const string Environment = "prod";
    public const string Account = "acct";
    public const string PrimarySecret = "dt-prod-primary";
    public const string SecondarySecret = "dt-prod-secondary";
    public const string ServiceOwner = "svc-tokenfunctions@example.com";
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    public RotationHarness(IRotationStateStore? store = null, Action<RotationOptions>? configure = null, bool withSecondary = true, bool withFactory = true)
    {
        Time = new FakeTimeProvider(Start);
        Vault = new InMemoryKeyVault(Time);
        Dynatrace = new FakeDynatrace(Time);
        Dynatrace.ResolveCredential = r => r.KeyVaultSecretName is { } name ? Vault.Latest(name)?.Value : r.Value;
        Store = store ?? new InMemoryRotationStateStore(Time);
        Options.InstanceName = "tokenfunctions";
        configure?.Invoke(Options);

        var environment = new DynatraceEnvironment
        {
            Name = Environment,
            ApiBaseUrl = new Uri("https://prod.live.dynatrace.com/"),
            Credential = CredentialReference.FromKeyVault(PrimarySecret),
            SecondaryCredential = withSecondary ? CredentialReference.FromKeyVault(SecondarySecret) : null,
        };
        var account = new DynatraceAccount
        {
            Name = Account,
            AccountUuid = Guid.Parse("5d8d4c3b-0e8f-4f5a-9a43-3c1f1d0c9e21"),
            ClientId = "dt0s02.CLIENTID",
            ClientSecret = CredentialReference.FromKeyVault("dt-acct-oauth"),
        };
        Directory = new FakeDirectory([Dynatrace.EnvironmentClient(environment)], [Dynatrace.AccountClient(account)]);
        Factory = withFactory ? new FakeClientFactory(Dynatrace) : null;

        // The app's own management credentials: real tokens in the fake, held in Key Vault, managed like any other.
        Primary = Dynatrace.Issue(Environment, TokenKind.ClassicApiToken, "tokenfunctions primary", ["apiTokens.read", "apiTokens.write"], ServiceOwner);
        Vault.Seed(PrimarySecret, Primary.Secret, Tags(Primary, "classic", Environment, "90d", "1d"));
        if (withSecondary)
        {
            Secondary = Dynatrace.Issue(Environment, TokenKind.ClassicApiToken, "tokenfunctions secondary", ["apiTokens.read", "apiTokens.write"], ServiceOwner);
            Vault.Seed(SecondarySecret, Secondary.Secret, Tags(Secondary, "classic", Environment, "90d", "1d"));
        }

        Restart();
    }

    public FakeTimeProvider Time { get; }

    public InMemoryKeyVault Vault { get; }

    public FakeDynatrace Dynatrace { get; }

    public IRotationStateStore Store { get; }

    public RotationOptions Options { get; } = new();

    public KeyVaultOptions KeyVaultOptions { get; } = new();

    public HygieneOptions Hygiene => Options.Hygiene;

    public KillOptions Kill { get; } = new();

    public FakeDirectory Directory { get; }

    public FakeClientFactory? Factory { get; }

    public FakeToken Primary { get; }

    public FakeToken? Secondary { get; }

    public RecordingAuditSink Audit { get; } = new();

    public CrashingCheckpoints Checkpoints { get; } = new();

    public List<ISecretRotationListener> Listeners { get; } = [];

    public ICredentialProvider? CredentialProvider { get; set; }

    public IMeterFactory MeterFactory { get; } = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    public KeyVaultManagedCredentialIndex Catalog { get; private set; } = null!;

    public CredentialRotator Rotator { get; private set; } = null!;

    public LeakRotation Leak { get; private set; } = null!;

    public ScheduledRotationJob Scheduled { get; private set; } = null!;

    public SweepJob Sweep { get; private set; } = null!;

    public ReconciliationJob Reconciliation { get; private set; } = null!;

    public HygieneReportJob HygieneJob { get; private set; } = null!;

    public Microsoft.Extensions.Logging.Testing.FakeLogger<HygieneReportJob> HygieneLog { get; } = new();

    /// <summary>A new process: fresh caches and objects over the same vault, Dynatrace and state.</summary>
    public void Restart()
    {
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        Catalog = new KeyVaultManagedCredentialIndex(Vault.Client, new DirectoryTargets(Directory), Microsoft.Extensions.Options.Options.Create(KeyVaultOptions), Time, NullLogger<KeyVaultManagedCredentialIndex>.Instance);
        var targets = new TokenTargets(Directory, Factory);
        var metrics = new TokenFunctionsMetrics(MeterFactory);
        var auditOptions = Microsoft.Extensions.Options.Options.Create(new Engine.Audit.AuditOptions());
        var writer = new Engine.Audit.AuditWriter(Audit, new Engine.Audit.AuditRetryBuffer(auditOptions), metrics, NullLogger<Engine.Audit.AuditWriter>.Instance, auditOptions, Time);
        var audit = new RotationAudit(writer, metrics, Time, NullLogger<RotationAudit>.Instance);
        Rotator = new CredentialRotator(Vault.Client, Catalog, Store, targets, Listeners, audit, Checkpoints, options, Time, NullLogger<CredentialRotator>.Instance);
        Leak = new LeakRotation(Catalog, Rotator, audit, NullLogger<LeakRotation>.Instance);
        Scheduled = new ScheduledRotationJob(Catalog, Store, Rotator, targets, audit, options, Time, NullLogger<ScheduledRotationJob>.Instance);
        Sweep = new SweepJob(Store, Rotator, audit, Time, NullLogger<SweepJob>.Instance);
        Reconciliation = new ReconciliationJob(Vault.Client, Catalog, Store, Rotator, targets, audit, Checkpoints, options, Time, NullLogger<ReconciliationJob>.Instance);
        var protectedTokens = new ProtectedTokens(
            new Engine.Incidents.Testing.StaticOptionsMonitor<KillOptions>(Kill), Directory, Time, NullLogger<ProtectedTokens>.Instance, CredentialProvider);
        HygieneJob = new HygieneReportJob(Catalog, Store, targets, protectedTokens, audit, options, Time, HygieneLog);
    }

    public static Dictionary<string, string> Tags(FakeToken token, string kind, string target, string period, string overlap, bool adopted = true)
    {
        var tags = new Dictionary<string, string>
        {
            [ManagedCredentialTags.Kind] = kind,
            [ManagedCredentialTags.Target] = target,
            [ManagedCredentialTags.RotationPeriod] = period,
            [ManagedCredentialTags.Overlap] = overlap,
            [ManagedCredentialTags.Notify] = "team-observability",
        };
        if (adopted)
        {
            tags[ManagedCredentialTags.TokenId] = token.Id.Value;
            tags[ManagedCredentialTags.Fingerprint] = TokenFingerprint.Of(token.Secret);
        }

        return tags;
    }

    public FakeToken EnrollClassic(string secretName, string period = "90d", string overlap = "2d", IReadOnlyList<string>? scopes = null, bool adopted = true, DateTimeOffset? expiresOn = null)
    {
        var token = Dynatrace.Issue(Environment, TokenKind.ClassicApiToken, "ci pipeline", scopes ?? ["metrics.ingest", "logs.ingest"], "alice@example.com");
        Vault.Seed(secretName, token.Secret, Tags(token, "classic", Environment, period, overlap, adopted), expiresOn);
        return token;
    }

    public FakeToken EnrollPlatform(string secretName, string period = "90d", string overlap = "2d")
    {
        var token = Dynatrace.Issue(Account, TokenKind.PlatformToken, "automation", ["storage:logs:read", "app-engine:apps:run"], "bob");
        token.Resources = ["urn:dtenvironment:abc12345"];
        token.UserUuid = "4a1c2f8e-7c55-4c3b-9d55-1b0f6c3e2a10";
        Vault.Seed(secretName, token.Secret, Tags(token, "platform", Account, period, overlap));
        return token;
    }

    public async Task<(ReconciliationReport Reconciliation, ScheduledRotationReport Scheduled, SweepReport Sweep)> RunTimersAsync()
    {
        var reconciliation = await Reconciliation.RunAsync(CancellationToken.None);
        var scheduled = await Scheduled.RunAsync(CancellationToken.None);
        var sweep = await Sweep.RunAsync(CancellationToken.None);
        return (reconciliation, scheduled, sweep);
    }

    /// <summary>The token Key Vault's newest version of <paramref name="secretName"/> holds.</summary>
    public FakeToken CurrentToken(string secretName)
    {
        var latest = Vault.Latest(secretName) ?? throw new InvalidOperationException($"no secret {secretName}");
        return Dynatrace.Tokens.Single(t => t.Secret == latest.Value);
    }

    public Task<RotationResult> RotateAsync(string secretName, RotationTrigger trigger = RotationTrigger.Scheduled, TokenId? expected = null) =>
        Rotator.RotateAsync(
            new RotationRequest { SecretName = secretName, Trigger = trigger, CorrelationId = "test", Source = "test", ExpectedTokenId = expected },
            CancellationToken.None);

    /// <summary>Every secret the fake Dynatrace ever issued: none may appear in audit records.</summary>
    public IEnumerable<string> AllSecrets => Dynatrace.Tokens.Select(t => t.Secret);
}
