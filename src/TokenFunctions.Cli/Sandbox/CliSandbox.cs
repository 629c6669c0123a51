using TokenFunctions.DynatraceSandbox;

namespace TokenFunctions.Cli.Sandbox;

/// <summary>
/// The loopback Dynatrace sandbox, seeded for the CLI: environments <c>prod</c> and <c>dev</c> with a management token
/// each, classic tokens owned by alice and bob (for <c>kill-switch --owner</c>), and an account with an OAuth client
/// and platform tokens. Every secret is generated at start; none is written in the repository.
/// </summary>
public sealed class CliSandbox : IAsyncDisposable
{
    public const string AliceOwner = "alice@example.com";
    public const string BobOwner = "bob@example.com";
    public const string AccountName = "main";

    /// <summary>A fixed account id, so printed URLs and configuration look the same on every run.</summary>
    public static readonly Guid AccountUuid = Guid.Parse("2b794097-8ad2-4b32-b923-0131da2eeddf");

    private readonly List<string> _secrets = [];

    private CliSandbox(DynatraceSandbox.DynatraceSandbox server) => Server = server;

    public DynatraceSandbox.DynatraceSandbox Server { get; }

    public IReadOnlyDictionary<string, string?> Configuration { get; private set; } = new Dictionary<string, string?>();

    /// <summary>Every secret the sandbox issued or was seeded with, for tests that prove none is ever printed.</summary>
    public IReadOnlyList<string> Secrets => _secrets;

    public string PlatformUserUuid { get; private set; } = string.Empty;

    public static async Task<CliSandbox> StartAsync(string url = "http://127.0.0.1:0", CancellationToken cancellationToken = default)
    {
        var server = await DynatraceSandbox.DynatraceSandbox.StartAsync(new SandboxOptions { Url = url, RecordRequests = false }, cancellationToken).ConfigureAwait(false);
        var sandbox = new CliSandbox(server);
        sandbox.Seed();
        return sandbox;
    }

    /// <summary>A new classic token in <paramref name="environment"/>: the one a demo "leaks".</summary>
    public SandboxIssuedToken AddLeakableToken(string environment, string name, string owner = AliceOwner) =>
        Track(Server.Environment(environment).AddToken(new SandboxApiTokenSeed { Name = name, Owner = owner, Scopes = ["metrics.ingest", "logs.ingest"] }));

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private void Seed()
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var index = 0;
        foreach (var name in new[] { "prod", "dev" })
        {
            var environment = Server.AddEnvironment(name);
            var admin = Track(environment.AddManagementToken());
            values[$"Dynatrace:Environments:{index}:Name"] = name;
            values[$"Dynatrace:Environments:{index}:ApiBaseUrl"] = Server.EnvironmentBaseUrl(name).ToString();
            values[$"Dynatrace:Environments:{index}:Credential"] = admin.Secret;
            values[$"Dynatrace:Environments:{index}:DisableApi"] = "V2";
            index++;
        }

        for (var i = 1; i <= 3; i++)
        {
            AddLeakableToken("prod", $"ci-deploy-{i}");
        }

        AddLeakableToken("dev", "dev-ingest", AliceOwner);
        AddLeakableToken("dev", "bob-dashboards", BobOwner);

        var account = Server.AddAccount(AccountUuid);
        var client = account.AddOAuthClient(scopes: SandboxAccount.ManagementScopes);
        _secrets.Add(client.ClientSecret);
        PlatformUserUuid = client.UserUuid;
        for (var i = 1; i <= 2; i++)
        {
            Track(account.AddPlatformToken(new SandboxPlatformTokenSeed { Name = $"automation-{i}", UserUuid = client.UserUuid }));
        }

        values[$"Dynatrace:Accounts:0:Name"] = AccountName;
        values[$"Dynatrace:Accounts:0:AccountUuid"] = AccountUuid.ToString();
        values[$"Dynatrace:Accounts:0:ClientId"] = client.ClientId;
        values[$"Dynatrace:Accounts:0:ClientSecret"] = client.ClientSecret;
        values[$"Dynatrace:Accounts:0:SsoTokenEndpoint"] = Server.SsoTokenEndpoint.ToString();
        values[$"Dynatrace:Accounts:0:ApiBaseUrl"] = Server.AccountApiBaseUrl.ToString();
        Configuration = values;
    }

    private SandboxIssuedToken Track(SandboxIssuedToken token)
    {
        lock (_secrets)
        {
            _secrets.Add(token.Secret);
        }

        return token;
    }
}
