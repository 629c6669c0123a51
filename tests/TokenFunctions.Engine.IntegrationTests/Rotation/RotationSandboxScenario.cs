using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.IntegrationTests.Dynatrace;
using TokenFunctions.Engine.KeyVault;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Primitives;
using TokenFunctions.Engine.Rotation;
using TokenFunctions.Engine.Rotation.Jobs;
using TokenFunctions.Engine.Tokens;
using TokenFunctions.Engine.UnitTests.KeyVault.Support;
using TokenFunctions.Engine.UnitTests.Rotation.Support;
using Sandbox = TokenFunctions.DynatraceSandbox.DynatraceSandbox;

namespace TokenFunctions.Engine.IntegrationTests.Rotation;

/// <summary>
/// Rotation as the app wires it (AddDynatrace + AddRotation + AddKill, real HTTP clients) against the loopback
/// Dynatrace sandbox, with state in Azurite and Key Vault as the stateful Moq fake. One clock for app and sandbox, so
/// overlap windows, grace periods and token expiry move together. <see cref="RestartAsync"/> throws the whole service
/// provider away and builds a new one over the same sandbox, vault and table: a new process.
/// </summary>
internal sealed class RotationSandboxScenario : IAsyncDisposable
{
    public const string Environment = "prod";
    public const string EnvironmentId = "env1";
    public const string Account = "acct";
    public const string PrimarySecret = "dt-prod-primary";
    public const string SecondarySecret = "dt-prod-secondary";

    private readonly string _tableName = AzuriteRotationTables.NewTableName();
    private ServiceProvider _services = null!;

    private readonly Action<DynatraceConfig>? _configure;

    private RotationSandboxScenario(Sandbox sandbox, FakeTimeProvider time, Action<DynatraceConfig>? configure)
    {
        Sandbox = sandbox;
        Time = time;
        Vault = new InMemoryKeyVault(time);
        _configure = configure;
    }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public Sandbox Sandbox { get; }

    public FakeTimeProvider Time { get; }

    public InMemoryKeyVault Vault { get; }

    public SandboxEnvironment Env => Sandbox.Environment(EnvironmentId);

    public SandboxAccount SandboxAccount { get; private set; } = null!;

    public SandboxIssuedToken Primary { get; private set; } = null!;

    public SandboxIssuedToken Secondary { get; private set; } = null!;

    public RecordingAuditSink Audit { get; } = new();

    public CrashingCheckpoints Checkpoints { get; } = new();

    public LogCapture Logs { get; } = new();

    public IServiceProvider Services => _services;

    public IRotationService Rotation => _services.GetRequiredService<IRotationService>();

    public ILeakRotation LeakRotation => _services.GetRequiredService<ILeakRotation>();

    public IKillService Kill => _services.GetRequiredService<IKillService>();

    public IRotationStateStore Store => _services.GetRequiredService<IRotationStateStore>();

    public IDynatraceDirectory Directory => _services.GetRequiredService<IDynatraceDirectory>();

    /// <param name="pageBase">The number of the sandbox's first platform-token list page, 0 or 1.</param>
    public static Task<RotationSandboxScenario> StartAsync(int pageBase = 0) => StartAsync(new SandboxPlatformReading { PageBase = pageBase });

    /// <param name="reading">The reading of Dynatrace's platform-token sources the sandbox plays.</param>
    /// <param name="clientScopes">The scopes the app's OAuth client is granted (default: both families).</param>
    /// <param name="statusSuccessCode">What the status PUT answers on success, 204 or 200.</param>
    /// <param name="configure">More settings for the app.</param>
    public static async Task<RotationSandboxScenario> StartAsync(
        SandboxPlatformReading reading, IReadOnlyList<string>? clientScopes = null, int statusSuccessCode = 204, Action<DynatraceConfig>? configure = null)
    {
        var now = DateTimeOffset.UtcNow;
        var time = new FakeTimeProvider(new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero));
        var sandbox = await Sandbox.StartAsync(new SandboxOptions { TimeProvider = time, PlatformReading = reading }, Ct);
        var scenario = new RotationSandboxScenario(sandbox, time, configure);
        var environment = sandbox.AddEnvironment(EnvironmentId);
        scenario.Primary = environment.AddManagementToken("tokenfunctions primary", "svc-tokenfunctions@example.com");
        scenario.Secondary = environment.AddManagementToken("tokenfunctions secondary", "svc-tokenfunctions@example.com");
        scenario.Vault.Seed(PrimarySecret, scenario.Primary.Secret, Tags(scenario.Primary, "classic", Environment, "90d", "1d"));
        scenario.Vault.Seed(SecondarySecret, scenario.Secondary.Secret, Tags(scenario.Secondary, "classic", Environment, "90d", "1d"));
        scenario.SandboxAccount = sandbox.AddAccount();
        scenario.SandboxAccount.StatusSuccessCode = statusSuccessCode;
        scenario.OAuthClient = scenario.SandboxAccount.AddOAuthClient(scopes: clientScopes);
        await AzuriteRotationTables.NewTableAsync(Ct); // fail fast, with the clear message, when Azurite is down
        scenario.Build();
        return scenario;
    }

    public SandboxOAuthClientCredentials OAuthClient { get; private set; } = null!;

    public static Dictionary<string, string> Tags(SandboxIssuedToken token, string kind, string target, string period, string overlap) => new()
    {
        [ManagedCredentialTags.Kind] = kind,
        [ManagedCredentialTags.Target] = target,
        [ManagedCredentialTags.RotationPeriod] = period,
        [ManagedCredentialTags.Overlap] = overlap,
        [ManagedCredentialTags.Notify] = "team-observability",
        [ManagedCredentialTags.TokenId] = token.Id,
        [ManagedCredentialTags.Fingerprint] = TokenFingerprint.Of(token.Secret),
    };

    public SandboxIssuedToken EnrollClassic(string secretName, string period = "90d", string overlap = "2d", IReadOnlyList<string>? scopes = null)
    {
        var token = Env.AddToken(new SandboxApiTokenSeed { Name = "ci pipeline", Owner = "alice@example.com", Scopes = scopes ?? ["metrics.ingest", "logs.ingest"] });
        Vault.Seed(secretName, token.Secret, Tags(token, "classic", Environment, period, overlap));
        return token;
    }

    public SandboxIssuedToken EnrollPlatform(string secretName, string period = "90d", string overlap = "2d")
    {
        var token = SandboxAccount.AddPlatformToken(new SandboxPlatformTokenSeed
        {
            Name = "automation",
            Scopes = ["storage:logs:read", "app-engine:apps:run"],
            Resources = ["urn:dtenvironment:" + EnvironmentId],
            UserUuid = OAuthClient.UserUuid,
            ExpirationDate = Time.GetUtcNow() + TimeSpan.FromDays(365),
        });
        Vault.Seed(secretName, token.Secret, Tags(token, "platform", Account, period, overlap));
        return token;
    }

    /// <summary>
    /// Platform tokens <c>dt0s16.00000000…</c> (sorted before any generated id) named <paramref name="name"/>, so a search
    /// for a term in that name puts later tokens on page 2 and beyond.
    /// </summary>
    public void AddPlatformFiller(int count, string name, bool expires = true)
    {
        for (var i = 0; i < count; i++)
        {
            _filler.Add($"dt0s16.{i:D8}");
            SandboxAccount.AddPlatformToken(new SandboxPlatformTokenSeed { Id = $"dt0s16.{i:D8}", Name = name, ExpirationDate = expires ? Time.GetUtcNow() + TimeSpan.FromDays(30) : null });
        }
    }

    /// <summary>Filler tokens are nobody's credential: the orphan invariant ignores them.</summary>
    private readonly HashSet<string> _filler = new(StringComparer.Ordinal);

    public async Task RestartAsync()
    {
        await _services.DisposeAsync();
        Build();
    }

    public async Task RunTimersAsync()
    {
        await _services.GetRequiredService<ReconciliationJob>().RunAsync(Ct);
        await _services.GetRequiredService<ScheduledRotationJob>().RunAsync(Ct);
        await _services.GetRequiredService<SweepJob>().RunAsync(Ct);
    }

    public Task<RotationResult> RotateAsync(string secretName, RotationTrigger trigger = RotationTrigger.Scheduled, string? expected = null) =>
        Rotation.RotateAsync(
            new RotationRequest
            {
                SecretName = secretName,
                Trigger = trigger,
                CorrelationId = "it",
                Source = "integration-test",
                ExpectedTokenId = expected is null ? null : TokenId.Parse(expected),
            },
            Ct);

    /// <summary>Id of the token Key Vault's newest version of the secret holds.</summary>
    public string CurrentId(string secretName) => TokenSecret.Parse(Vault.Latest(secretName)!.Value).Id.Value;

    /// <summary>Every token the sandbox holds that works right now, classic and platform.</summary>
    public IEnumerable<(string Id, string Name)> UsableTokens()
    {
        var now = Time.GetUtcNow();
        foreach (var t in Env.Tokens.Where(t => t.Enabled && (t.ExpirationDate is not { } e || e > now)))
        {
            yield return (t.Id, t.Name);
        }

        foreach (var t in SandboxAccount.PlatformTokens.Where(t => t.IsActive && (t.ExpirationDate is not { } e || e > now)))
        {
            yield return (t.Id, t.Name);
        }
    }

    public bool IsUsable(string id) => UsableTokens().Any(t => t.Id == id);

    /// <summary>
    /// The three invariants, from the outside: every credential's newest version works (proven for classic tokens by a real
    /// lookup authenticated with it); every usable token's secret is in some Key Vault version; no replaced version's token
    /// works beyond the overlap window.
    /// </summary>
    public async Task AssertInvariantsAsync(params string[] credentials)
    {
        var violations = new List<string>();
        var now = Time.GetUtcNow();
        var held = Vault.AllVersions().Select(v => TokenSecret.TryParse(v.Value, out var s) ? s.Id.Value : null).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var name in credentials.Concat([PrimarySecret, SecondarySecret]).Distinct())
        {
            var versions = Vault.Versions(name);
            var latest = TokenSecret.Parse(versions[^1].Value);
            if (!IsUsable(latest.Id.Value))
            {
                violations.Add($"lost secret: {name} holds {latest.Id}, which does not work");
            }
            else if (latest.Kind == TokenKind.ClassicApiToken && !(await Directory.Environments[0].VerifyWorksAsync(latest, Ct)).IsOk)
            {
                violations.Add($"lost secret: {name} holds {latest.Id}, which Dynatrace does not accept");
            }

            var overlap = Duration.TryParseTag(versions[^1].Tags.GetValueOrDefault(ManagedCredentialTags.Overlap), out var o) ? o : TimeSpan.Zero;
            for (var i = 0; i < versions.Count - 1; i++)
            {
                var id = TokenSecret.Parse(versions[i].Value).Id;
                if (id != latest.Id && IsUsable(id.Value) && now >= versions[i + 1].CreatedOn + overlap)
                {
                    violations.Add($"second usable token: {name} still accepts {id} after its overlap window");
                }
            }
        }

        foreach (var (id, tokenName) in UsableTokens())
        {
            if (!held.Contains(id) && !_filler.Contains(id))
            {
                violations.Add($"orphan: {id} ('{tokenName}') works but no Key Vault version holds its secret");
            }
        }

        Assert.True(violations.Count == 0, string.Join(System.Environment.NewLine, violations));
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Sandbox.DisposeAsync();
    }

    private void Build()
    {
        var config = new DynatraceConfig()
            .Environment(Environment, Sandbox.EnvironmentBaseUrl(EnvironmentId), PrimarySecret, SecondarySecret, keyVault: true)
            .Account(Account, SandboxAccount.Uuid, OAuthClient.ClientId, OAuthClient.ClientSecret, Sandbox.SsoTokenEndpoint, Sandbox.AccountApiBaseUrl)
            .Set("KeyVault:VaultUri", InMemoryKeyVault.VaultUri.ToString())
            .Set("Rotation:State:ConnectionString", AzuriteRotationTables.ConnectionString)
            .Set("Rotation:State:TableName", _tableName)
            .Set("KillSwitch:MaxRequestsPerSecondPerAccount", "0")
            .Set("KillSwitch:MaxRequestsPerSecondPerEnvironment", "0")
            // With a secondary credential configured, a leaked primary can be disabled (through the secondary) and rotated;
            // the kill-switch's default protects its own credentials, which leaves a leaked primary to a human.
            .Set("KillSwitch:ProtectOwnCredentials", "false");
        _configure?.Invoke(config);
        var configuration = config.Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton<SecretClient>(Vault.Client);
        services.AddSingleton<IAuditSink>(Audit);
        services.AddSingleton<IRotationCheckpoints>(Checkpoints);
        services.AddDynatrace(configuration);
        services.AddRotation(configuration);
        services.AddKill(configuration);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
