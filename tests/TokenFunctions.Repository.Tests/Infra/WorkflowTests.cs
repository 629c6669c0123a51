using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TokenFunctions.Repository.Tests.Infra;

/// <summary>The GitHub Actions workflows parse and keep their promises: full-solution CI, OIDC-only deployment, approval for production.</summary>
public sealed partial class WorkflowTests
{
    private static readonly string Workflows = RepositoryRoot.Combine(".github", "workflows");

    [Fact]
    public async Task Every_workflow_and_dependabot_file_parses_and_pins_actions_to_a_major_version()
    {
        var files = Directory.GetFiles(Workflows, "*.yml").Append(RepositoryRoot.Combine(".github", "dependabot.yml")).ToList();
        Assert.True(files.Count >= 4, $"Expected ci, deploy, deploy-environment and dependabot; found {files.Count}.");

        foreach (var file in files)
        {
            var doc = await YamlDocument.LoadAsync(file);
            foreach (var uses in Steps(doc).Select(s => (string?)s["uses"]).OfType<string>().Where(u => !u.StartsWith("./", StringComparison.Ordinal)))
            {
                Assert.Matches(PinnedAction(), uses);
            }
        }
    }

    [Fact]
    public async Task Ci_builds_tests_and_formats_the_full_solution_with_azurite_and_lints_bicep()
    {
        var ci = await YamlDocument.LoadAsync(Path.Combine(Workflows, "ci.yml"));

        Assert.NotNull(ci["on"]!["push"]);
        Assert.True(ci["on"]!.AsObject().ContainsKey("pull_request"));
        Assert.All(Jobs(ci), job => Assert.StartsWith("ubuntu", (string)job["runs-on"]!, StringComparison.Ordinal));

        var steps = Steps(ci).ToList();
        Assert.Contains(steps, s => (string?)s["uses"] == "actions/checkout@v7");
        Assert.Contains(steps, s => (string?)s["uses"] == "actions/setup-dotnet@v6" && (string?)s["with"]?["dotnet-version"] == "10.0.x");

        var scripts = string.Join('\n', steps.Select(s => (string?)s["run"]).OfType<string>());
        Assert.Contains("azurite", scripts, StringComparison.Ordinal);
        Assert.Contains("dotnet restore TokenFunctions.sln", scripts, StringComparison.Ordinal);
        Assert.Contains("dotnet build TokenFunctions.sln", scripts, StringComparison.Ordinal);
        Assert.Contains("dotnet test --solution TokenFunctions.sln", scripts, StringComparison.Ordinal);
        Assert.Contains("dotnet format TokenFunctions.sln --verify-no-changes", scripts, StringComparison.Ordinal);
        Assert.Contains("\"$BICEP\" build main.bicep", scripts, StringComparison.Ordinal);
        Assert.Contains("\"$BICEP\" lint", scripts, StringComparison.Ordinal);
        Assert.DoesNotContain("Offline.slnf", scripts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_runs_on_main_and_by_hand_with_oidc_permissions_staging_first_then_production()
    {
        var deploy = await YamlDocument.LoadAsync(Path.Combine(Workflows, "deploy.yml"));

        Assert.True(deploy["on"]!.AsObject().ContainsKey("workflow_dispatch"));
        Assert.Equal(["main"], deploy["on"]!["push"]!["branches"]!.AsArray().Select(b => (string)b!));
        Assert.Equal("write", (string?)deploy["permissions"]!["id-token"]);
        Assert.Equal("read", (string?)deploy["permissions"]!["contents"]);

        var jobs = deploy["jobs"]!.AsObject();
        Assert.Equal("staging", (string?)jobs["staging"]!["with"]!["environment"]);
        Assert.Equal("production", (string?)jobs["production"]!["with"]!["environment"]);
        Assert.Equal("staging", (string?)jobs["production"]!["needs"]);
        Assert.All(
            new[] { jobs["staging"]!, jobs["production"]! },
            j => Assert.Equal("./.github/workflows/deploy-environment.yml", (string?)j["uses"]));

        var publish = Steps(deploy).Single(s => ((string?)s["run"])?.Contains("dotnet publish", StringComparison.Ordinal) == true);
        Assert.Equal("dotnet publish src/TokenFunctions -c Release -o ./output", ((string)publish["run"]!).Trim());
        var upload = Steps(deploy).Single(s => ((string?)s["uses"])?.StartsWith("actions/upload-artifact@", StringComparison.Ordinal) == true);
        Assert.True((bool)upload["with"]!["include-hidden-files"]!, "The worker's .azurefunctions folder must be uploaded.");
    }

    [Fact]
    public async Task Environment_deploy_signs_in_with_oidc_only_runs_what_if_before_deploying_and_publishes_the_package()
    {
        var path = Path.Combine(Workflows, "deploy-environment.yml");
        var workflow = await YamlDocument.LoadAsync(path);
        var job = Jobs(workflow).Single();

        Assert.Equal("${{ inputs.environment }}", (string?)job["environment"]!["name"]);
        Assert.Equal("write", (string?)workflow["permissions"]!["id-token"]);

        var steps = job["steps"]!.AsArray().Select(s => s!).ToList();
        var logins = steps.Where(s => (string?)s["uses"] == "azure/login@v3").ToList();
        Assert.Equal(2, logins.Count);
        Assert.Equal("${{ vars.AZURE_CLIENT_ID }}", (string?)logins[0]["with"]!["client-id"]);
        Assert.Equal("${{ steps.infra.outputs.deployerClientId }}", (string?)logins[1]["with"]!["client-id"]);
        Assert.All(logins, l => Assert.Equal(["client-id", "subscription-id", "tenant-id"], l["with"]!.AsObject().Select(p => p.Key).Order()));

        var whatIf = steps.FindIndex(s => ((string?)s["run"])?.Contains("az deployment group what-if", StringComparison.Ordinal) == true);
        var create = steps.FindIndex(s => ((string?)s["run"])?.Contains("az deployment group create", StringComparison.Ordinal) == true);
        var clear = steps.FindIndex(s => ((string?)s["run"])?.Trim() == "az account clear");
        var publish = steps.FindIndex(s => (string?)s["uses"] == "Azure/functions-action@v1");
        Assert.True(whatIf >= 0 && whatIf < create && create < clear && clear < steps.IndexOf(logins[1]) && steps.IndexOf(logins[1]) < publish,
            $"Expected what-if ({whatIf}) < create ({create}) < sign-out ({clear}) < code-deployer sign-in < publish ({publish}).");
        Assert.All(new[] { whatIf, create }, i => Assert.Contains("--parameters infra/main.bicepparam", (string)steps[i]["run"]!, StringComparison.Ordinal));
        Assert.Equal("${{ steps.infra.outputs.functionAppName }}", (string?)steps[publish]["with"]!["app-name"]);
        Assert.Equal("./output", (string?)steps[publish]["with"]!["package"]);
    }

    [Fact]
    public async Task Deployment_workflows_use_no_stored_secrets()
    {
        foreach (var name in new[] { "deploy.yml", "deploy-environment.yml" })
        {
            var text = await File.ReadAllTextAsync(Path.Combine(Workflows, name), TestContext.Current.CancellationToken);
            Assert.DoesNotMatch(@"\$\{\{\s*secrets\.", text);
            Assert.DoesNotContain("publish-profile", text, StringComparison.Ordinal);
            Assert.DoesNotContain("client-secret", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Dependabot_updates_nuget_packages_and_github_actions()
    {
        var dependabot = await YamlDocument.LoadAsync(RepositoryRoot.Combine(".github", "dependabot.yml"));

        var ecosystems = dependabot["updates"]!.AsArray().Select(u => (string)u!["package-ecosystem"]!).Order();
        Assert.Equal(["github-actions", "nuget"], ecosystems);
    }

    private static IEnumerable<JsonObject> Jobs(JsonObject workflow) =>
        (workflow["jobs"] as JsonObject ?? []).Select(j => j.Value!.AsObject());

    private static IEnumerable<JsonObject> Steps(JsonObject workflow) =>
        Jobs(workflow).SelectMany(j => (j["steps"] as JsonArray ?? []).Select(s => s!.AsObject()));

    /// <summary><c>owner/name@vN</c> (a major tag) or a full commit SHA; never a branch.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@(v\d+|[0-9a-f]{40})$")]
    private static partial Regex PinnedAction();
}
