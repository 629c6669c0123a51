using System.Security.Cryptography;
using System.Text.Json;
using TokenFunctions.Cli.Sandbox;
using TokenFunctions.DynatraceSandbox;

namespace TokenFunctions.Cli.Tests.Support;

/// <summary>
/// The CLI's own seeded sandbox on loopback and a settings file pointing at it, as an operator would pass with
/// <c>--config</c>. Each test gets its own state folder, so embedded stores never mix between tests.
/// </summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    private readonly List<string> _extraSecrets = [];
    private readonly string _root = Directory.CreateTempSubdirectory("tokenfunctions-cli-tests-").FullName;

    public CliSandbox Sandbox { get; private set; } = null!;

    public DynatraceSandbox.DynatraceSandbox Server => Sandbox.Server;

    public string ConfigFile { get; private set; } = null!;

    public IReadOnlyList<string> Secrets
    {
        get
        {
            lock (_extraSecrets)
            {
                return [.. Sandbox.Secrets, .. _extraSecrets];
            }
        }
    }

    public async ValueTask InitializeAsync()
    {
        Sandbox = await CliSandbox.StartAsync();
        ConfigFile = WriteConfig("config.json", new Dictionary<string, string?>());
    }

    public async ValueTask DisposeAsync()
    {
        await Sandbox.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>
    /// The sandbox's Dynatrace settings plus tight budgets and <paramref name="overrides"/>, as a local.settings.json: an
    /// operator's real configuration as far as the CLI can tell (no Key Vault, not marked as a drill).
    /// </summary>
    public string WriteConfig(string name, IReadOnlyDictionary<string, string?> overrides)
    {
        var values = new Dictionary<string, string?>(Sandbox.Configuration.Where(kv => kv.Key.StartsWith("Dynatrace:", StringComparison.OrdinalIgnoreCase)), StringComparer.OrdinalIgnoreCase)
        {
            ["Dynatrace:RequestDeadline"] = "00:00:06",
            ["Dynatrace:AttemptTimeout"] = "00:00:02",
            ["Dynatrace:RetryBaseDelay"] = "00:00:00.050",
            ["Dynatrace:RetryMaxDelay"] = "00:00:00.250",
            ["Incidents:BatchSize"] = "2",
            ["Incidents:PageSize"] = "100",
        };
        foreach (var (key, value) in overrides)
        {
            values[key] = value;
        }

        var path = Path.Combine(_root, name);
        var flat = values.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value);
        File.WriteAllText(path, JsonSerializer.Serialize(new Dictionary<string, object> { ["IsEncrypted"] = false, ["Values"] = flat }));
        return path;
    }

    public string NewStateDirectory() => Directory.CreateDirectory(Path.Combine(_root, "state-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    public string NewFolder() => Directory.CreateDirectory(Path.Combine(_root, "files-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    /// <summary>The CLI's global options for this sandbox and a fresh state folder, followed by <paramref name="args"/>.</summary>
    public string[] Args(string stateDirectory, params string[] args) => [.. args, "--config", ConfigFile, "--state-dir", stateDirectory];

    public SandboxIssuedToken Leak(string environment = "dev", string? owner = null) =>
        Sandbox.AddLeakableToken(environment, "leak-" + Guid.NewGuid().ToString("N")[..6], owner ?? CliSandbox.AliceOwner);

    public bool IsEnabled(string environment, string tokenId) => Server.Environment(environment).GetToken(tokenId)!.Enabled;

    /// <summary>A well-formed classic token no environment knows, generated here (never a literal in the repository).</summary>
    public string UnknownToken()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        var publicPart = RandomNumberGenerator.GetString(alphabet, 24);
        var secret = "dt0c01." + publicPart + "." + RandomNumberGenerator.GetString(alphabet, 64);
        lock (_extraSecrets)
        {
            _extraSecrets.Add(secret);
        }

        return secret;
    }
}
