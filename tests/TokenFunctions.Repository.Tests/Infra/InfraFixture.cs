using System.Text.Json.Nodes;

namespace TokenFunctions.Repository.Tests.Infra;

[CollectionDefinition(Name)]
public sealed class InfraCollection : ICollectionFixture<InfraFixture>
{
    public const string Name = "Infra (Bicep CLI)";
}

/// <summary>
/// Compiles, lints and snapshots <c>infra/</c> once for every Infra test, on a copy in a temporary folder so nothing is
/// written into the checkout. Three parameter sets are snapshotted:
/// <list type="bullet">
/// <item><c>Default</c>: main.bicepparam with no TOKENFUNCTIONS_* variables (a developer's first deploy).</item>
/// <item><c>Staging</c>: as deploy.yml runs it: environment, action group and the GitHub OIDC deployer set.</item>
/// <item><c>Widest</c>: Staging plus every optional grant on (per-secret rotation writes, external senders, storage queues).</item>
/// <item><c>Minimal</c>: only the required parameters: one environment, no account, no source secrets.</item>
/// </list>
/// </summary>
public sealed class InfraFixture : IAsyncLifetime
{
    public const string SubscriptionId = "00000000-0000-0000-0000-00000000a001";
    public const string TenantId = "00000000-0000-0000-0000-00000000b002";
    public const string ResourceGroup = "rg-tokenfunctions-test";
    public const string ActionGroupId = "/subscriptions/00000000-0000-0000-0000-00000000a001/resourceGroups/rg-ops/providers/Microsoft.Insights/actionGroups/ag-security";
    public const string GitHubRepository = "contoso/TokenFunctions";
    public const string ExternalSenderPrincipalId = "11111111-2222-3333-4444-555555555555";

    public static readonly string[] PerSecretRotationNames = ["dynatrace-prod-token", "dynatrace-prod-token-secondary"];

    private static readonly string[] ParameterVariables =
        ["TOKENFUNCTIONS_ENV", "TOKENFUNCTIONS_ACTION_GROUP", "TOKENFUNCTIONS_GITHUB_REPO", "TOKENFUNCTIONS_GITHUB_ENV"];

    private string? _workDir;
    private SnapshotOutcome _default = SnapshotOutcome.NotRun;
    private SnapshotOutcome _staging = SnapshotOutcome.NotRun;
    private SnapshotOutcome _widest = SnapshotOutcome.NotRun;
    private SnapshotOutcome _minimal = SnapshotOutcome.NotRun;

    public string Bicep { get; private set; } = "";

    /// <summary>The temporary copy of infra/ the commands ran in.</summary>
    public string InfraDir => Path.Combine(_workDir ?? throw new InvalidOperationException("Not initialised."), "infra");

    internal ProcessResult Build { get; private set; } = null!;

    internal ProcessResult BuildParams { get; private set; } = null!;

    internal ProcessResult Lint { get; private set; } = null!;

    internal ProcessResult LintParams { get; private set; } = null!;

    /// <summary>The compiled ARM template of main.bicep.</summary>
    internal JsonObject Template { get; private set; } = null!;

    // A snapshot that failed fails the tests that read it, with Bicep's output; the build and lint tests still report
    // their own findings.
    internal DeploymentSnapshot Default => _default.Value;

    internal DeploymentSnapshot Staging => _staging.Value;

    internal DeploymentSnapshot Widest => _widest.Value;

    internal DeploymentSnapshot Minimal => _minimal.Value;

    internal IReadOnlyList<DeploymentSnapshot> AllSnapshots => [Default, Staging, Widest, Minimal];

    public async ValueTask InitializeAsync()
    {
        Bicep = BicepCli.Locate();
        _workDir = Directory.CreateTempSubdirectory("tokenfunctions-infra-").FullName;
        CopyDirectory(RepositoryRoot.Combine("infra"), InfraDir);
        var ct = TestContext.Current.CancellationToken;

        Build = await RunAsync(["build", "main.bicep", "--stdout"], Variables(), ct);
        BuildParams = await RunAsync(["build-params", "main.bicepparam", "--stdout"], Variables(), ct);
        Lint = await RunAsync(["lint", "--pattern", "**/*.bicep"], Variables(), ct);
        LintParams = await RunAsync(["lint", "main.bicepparam"], Variables(), ct);
        Template = Build.ExitCode == 0 && JsonNode.Parse(Build.StdOut) is JsonObject template ? template : [];

        var staging = Variables(
            ("TOKENFUNCTIONS_ENV", "staging"),
            ("TOKENFUNCTIONS_ACTION_GROUP", ActionGroupId),
            ("TOKENFUNCTIONS_GITHUB_REPO", GitHubRepository),
            ("TOKENFUNCTIONS_GITHUB_ENV", "staging"));
        var mainParams = await File.ReadAllTextAsync(Path.Combine(InfraDir, "main.bicepparam"), ct);
        await File.WriteAllTextAsync(Path.Combine(InfraDir, "staging.bicepparam"), mainParams, ct);
        await File.WriteAllTextAsync(
            Path.Combine(InfraDir, "widest.bicepparam"),
            mainParams + $"""

            param rotationWritableSecretNames = [{string.Join(", ", PerSecretRotationNames.Select(n => $"'{n}'"))}]
            param incidentSenderPrincipalIds = ['{ExternalSenderPrincipalId}']
            param grantStorageQueueAccess = true
            """,
            ct);
        await File.WriteAllTextAsync(
            Path.Combine(InfraDir, "minimal.bicepparam"),
            """
            using 'main.bicep'

            param environmentName = 'min'
            param dynatraceEnvironments = [
              {
                name: 'only'
                apiBaseUrl: 'https://xyz98765.live.dynatrace.com/'
                credentialSecretName: 'dynatrace-only-token'
              }
            ]
            param sources = {}
            """,
            ct);

        _default = await SnapshotAsync("main", "Default", Variables(), ct);
        _staging = await SnapshotAsync("staging", "Staging", staging, ct);
        _widest = await SnapshotAsync("widest", "Widest", staging, ct);
        _minimal = await SnapshotAsync("minimal", "Minimal", Variables(), ct);
    }

    public ValueTask DisposeAsync()
    {
        if (_workDir is not null && Directory.Exists(_workDir))
        {
            Directory.Delete(_workDir, recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    internal Task<ProcessResult> RunAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?> environment, CancellationToken ct) =>
        ExternalProcess.RunAsync(Bicep, arguments, InfraDir, environment, ct);

    private async Task<SnapshotOutcome> SnapshotAsync(string paramFile, string label, IReadOnlyDictionary<string, string?> environment, CancellationToken ct)
    {
        var result = await RunAsync(
            [
                "snapshot", $"{paramFile}.bicepparam", "--mode", "overwrite",
                "--subscription-id", SubscriptionId, "--tenant-id", TenantId,
                "--resource-group", ResourceGroup, "--location", "westeurope",
            ],
            environment,
            ct);
        if (result.ExitCode != 0 || result.StdErr.Length != 0)
        {
            return new SnapshotOutcome(null, $"bicep snapshot ({label}) failed:\n{result.Transcript}");
        }

        var json = await File.ReadAllTextAsync(Path.Combine(InfraDir, $"{paramFile}.snapshot.json"), ct);
        return new SnapshotOutcome(new DeploymentSnapshot(label, JsonNode.Parse(json)!.AsObject()), null);
    }

    private sealed record SnapshotOutcome(DeploymentSnapshot? Snapshot, string? Failure)
    {
        public static readonly SnapshotOutcome NotRun = new(null, "The snapshot was not taken (fixture initialisation stopped earlier).");

        public DeploymentSnapshot Value => Snapshot ?? throw new Xunit.Sdk.XunitException(Failure);
    }

    /// <summary>The parameter variables main.bicepparam reads: all cleared (the machine's own are ignored), then these set.</summary>
    private static Dictionary<string, string?> Variables(params (string Name, string Value)[] set)
    {
        var env = ParameterVariables.ToDictionary(v => v, string? (_) => null);
        foreach (var (name, value) in set)
        {
            env[name] = value;
        }

        return env;
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            // A snapshot left behind by hand must not be mistaken for this run's.
            if (relative.EndsWith(".snapshot.json", StringComparison.Ordinal))
            {
                continue;
            }

            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
