using Azure.Core;
using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Engine.KeyVault;
using TokenFunctions.Engine.Tokens;
using VaultSandbox = TokenFunctions.KeyVaultSandbox.KeyVaultSandbox;

namespace TokenFunctions.Cli.Sandbox;

/// <summary>
/// The loopback Dynatrace sandbox and the loopback Key Vault, seeded for the CLI: environments <c>prod</c> and <c>dev</c>
/// with a management token each, classic tokens owned by alice and bob (for <c>kill-switch --owner</c>), an account with
/// an OAuth client and platform tokens, and the managed credential <see cref="ManagedSecretName"/> in the vault (for
/// <c>rotate</c>). Every secret is generated at start; none is written in the repository.
/// </summary>
public sealed class CliSandbox : IAsyncDisposable
{
    public const string AliceOwner = "alice@example.com";
    public const string BobOwner = "bob@example.com";
    public const string AccountName = "main";

    /// <summary>The Key Vault secret of the sandbox's managed credential: a prod ingest token that <c>rotate</c> can replace.</summary>
    public const string ManagedSecretName = "dt-prod-ingest";

    /// <summary>
    /// Settings only a sandbox writes. <see cref="DrillSetting"/>: the run is a drill, so its embedded stores live apart
    /// from real work and no configured Table Storage is used. <see cref="KeyVaultTokenSetting"/>: the bearer of the
    /// loopback vault, honoured only together with <c>KeyVault:LoopbackCertificateSha256</c> (a pinned loopback vault).
    /// </summary>
    public const string DrillSetting = "Cli:Drill";

    public const string KeyVaultTokenSetting = "Cli:KeyVaultAccessToken";

    /// <summary>A fixed account id, so printed URLs and configuration look the same on every run.</summary>
    public static readonly Guid AccountUuid = Guid.Parse("2b794097-8ad2-4b32-b923-0131da2eeddf");

    private readonly List<string> _secrets = [];
    private readonly List<(string Environment, SandboxIssuedToken Token, string Note)> _leakable = [];
    private readonly Dictionary<string, string?> _values = new(StringComparer.OrdinalIgnoreCase);
    private int _environments;

    private CliSandbox(DynatraceSandbox.DynatraceSandbox server, VaultSandbox vault)
    {
        Server = server;
        Vault = vault;
    }

    public DynatraceSandbox.DynatraceSandbox Server { get; }

    public VaultSandbox Vault { get; }

    public IReadOnlyDictionary<string, string?> Configuration => _values;

    /// <summary>Every secret the sandbox issued or was seeded with, for tests that prove none is ever printed.</summary>
    public IReadOnlyList<string> Secrets
    {
        get
        {
            lock (_secrets)
            {
                return [.. _secrets];
            }
        }
    }

    /// <summary>The tokens a drill may leak: every seeded classic token and the managed credential, never a management credential.</summary>
    public IReadOnlyList<(string Environment, SandboxIssuedToken Token, string Note)> Leakable
    {
        get
        {
            lock (_secrets)
            {
                return [.. _leakable];
            }
        }
    }

    public string PlatformUserUuid { get; private set; } = string.Empty;

    public static async Task<CliSandbox> StartAsync(string url = "http://127.0.0.1:0", CancellationToken cancellationToken = default, SandboxSeed? seed = null, int extraTokens = 0)
    {
        var server = await DynatraceSandbox.DynatraceSandbox.StartAsync(new SandboxOptions { Url = url, RecordRequests = false }, cancellationToken).ConfigureAwait(false);
        VaultSandbox vault;
        try
        {
            vault = await VaultSandbox.StartAsync(new TokenFunctions.KeyVaultSandbox.KeyVaultSandboxOptions { RecordRequests = false }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var sandbox = new CliSandbox(server, vault);
        await sandbox.SeedAsync(seed, extraTokens, cancellationToken).ConfigureAwait(false);
        return sandbox;
    }

    /// <summary>A new classic token in <paramref name="environment"/>: the one a demo or a drill "leaks".</summary>
    public SandboxIssuedToken AddLeakableToken(string environment, string name, string owner = AliceOwner, IReadOnlyList<string>? scopes = null)
    {
        var token = Track(Server.Environment(environment).AddToken(new SandboxApiTokenSeed { Name = name, Owner = owner, Scopes = scopes ?? ["metrics.ingest", "logs.ingest"] }));
        lock (_secrets)
        {
            _leakable.Add((environment, token, $"{name}, owner {owner}"));
        }

        return token;
    }

    public async ValueTask DisposeAsync()
    {
        await Vault.DisposeAsync().ConfigureAwait(false);
        await Server.DisposeAsync().ConfigureAwait(false);
    }

    private async Task SeedAsync(SandboxSeed? seed, int extraTokens, CancellationToken cancellationToken)
    {
        SeedEnvironments(extraTokens);
        SeedFromFile(seed);
        SeedAccount();
        SeedManagedCredential();
        await SeedVaultAccessAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Environments prod and dev with classic tokens of alice and bob, and <paramref name="extraTokens"/> more (<c>--seed</c>).</summary>
    private void SeedEnvironments(int extraTokens)
    {
        AddEnvironment("prod");
        AddEnvironment("dev");
        for (var i = 1; i <= 3; i++)
        {
            AddLeakableToken("prod", $"ci-deploy-{i}");
        }

        AddLeakableToken("dev", "dev-ingest", AliceOwner);
        AddLeakableToken("dev", "bob-dashboards", BobOwner);
        for (var i = 1; i <= extraTokens; i++)
        {
            // Spread over both environments and both owners, so selectors match a known share.
            AddLeakableToken(i % 2 == 0 ? "dev" : "prod", $"drill-{i}", i % 3 == 0 ? BobOwner : AliceOwner);
        }
    }

    /// <summary>The environments and token groups of a <c>--seed-file</c>: new environments are added, known ones get more tokens.</summary>
    private void SeedFromFile(SandboxSeed? seed)
    {
        foreach (var environment in seed?.Environments ?? [])
        {
            if (Server.Environments.All(e => !string.Equals(e.Id, environment.Name, StringComparison.Ordinal)))
            {
                AddEnvironment(environment.Name);
            }

            foreach (var group in environment.Tokens)
            {
                for (var i = 1; i <= group.Count; i++)
                {
                    AddLeakableToken(environment.Name, group.Count == 1 ? group.Name : $"{group.Name}-{i}", group.Owner ?? AliceOwner, group.Scopes);
                }
            }
        }
    }

    /// <summary>The account: an OAuth client with the management scopes (configured as account <see cref="AccountName"/>) and two platform tokens of its user.</summary>
    private void SeedAccount()
    {
        var account = Server.AddAccount(AccountUuid);
        var client = account.AddOAuthClient(scopes: SandboxAccount.ManagementScopes);
        Track(client.ClientSecret);
        PlatformUserUuid = client.UserUuid;
        for (var i = 1; i <= 2; i++)
        {
            Track(account.AddPlatformToken(new SandboxPlatformTokenSeed { Name = $"automation-{i}", UserUuid = client.UserUuid }));
        }

        _values["Dynatrace:Accounts:0:Name"] = AccountName;
        _values["Dynatrace:Accounts:0:AccountUuid"] = AccountUuid.ToString();
        _values["Dynatrace:Accounts:0:ClientId"] = client.ClientId;
        _values["Dynatrace:Accounts:0:ClientSecret"] = client.ClientSecret;
        _values["Dynatrace:Accounts:0:SsoTokenEndpoint"] = Server.SsoTokenEndpoint.ToString();
        _values["Dynatrace:Accounts:0:ApiBaseUrl"] = Server.AccountApiBaseUrl.ToString();
    }

    /// <summary>The managed credential: a prod ingest token whose secret the vault holds, tagged as rotation expects.</summary>
    private void SeedManagedCredential()
    {
        var ingest = AddLeakableToken("prod", "ci ingest (managed)", "svc-ci@example.com");
        Vault.Seed(ManagedSecretName, ingest.Secret, new Dictionary<string, string>
        {
            [ManagedCredentialTags.Kind] = "classic",
            [ManagedCredentialTags.Target] = "prod",
            [ManagedCredentialTags.RotationPeriod] = "90d",
            [ManagedCredentialTags.Overlap] = "1d",
            [ManagedCredentialTags.Notify] = "sandbox-drill",
            [ManagedCredentialTags.TokenId] = ingest.Id,
            [ManagedCredentialTags.Fingerprint] = TokenFingerprint.Of(ingest.Secret),
        });
        lock (_secrets)
        {
            var last = _leakable[^1];
            _leakable[^1] = (last.Environment, last.Token, $"managed credential {ManagedSecretName} in Key Vault: killing it rotates it");
        }
    }

    /// <summary>The loopback vault's settings and its bearer (pinned to it; see <see cref="KeyVaultTokenSetting"/>), and the drill flag.</summary>
    private async Task SeedVaultAccessAsync(CancellationToken cancellationToken)
    {
        foreach (var (key, value) in Vault.ConfigurationSettings())
        {
            _values[key] = value;
        }

        var bearer = await Vault.Credential.GetTokenAsync(new TokenRequestContext(["https://vault.azure.net/.default"]), cancellationToken).ConfigureAwait(false);
        Track(bearer.Token);
        _values[KeyVaultTokenSetting] = bearer.Token;
        _values[DrillSetting] = "true";
    }

    private void AddEnvironment(string name)
    {
        var environment = Server.AddEnvironment(name);
        var admin = Track(environment.AddManagementToken());
        var index = _environments++;
        _values[$"Dynatrace:Environments:{index}:Name"] = name;
        _values[$"Dynatrace:Environments:{index}:ApiBaseUrl"] = Server.EnvironmentBaseUrl(name).ToString();
        _values[$"Dynatrace:Environments:{index}:Credential"] = admin.Secret;
        _values[$"Dynatrace:Environments:{index}:DisableApi"] = "V2";
    }

    private SandboxIssuedToken Track(SandboxIssuedToken token)
    {
        Track(token.Secret);
        return token;
    }

    private void Track(string secret)
    {
        lock (_secrets)
        {
            _secrets.Add(secret);
        }
    }
}
