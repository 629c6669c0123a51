using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TokenFunctions.Repository.Tests.Infra;

/// <summary>infra/ compiles, lints and snapshots with no diagnostic at all: a warning is a failure.</summary>
[Collection(InfraCollection.Name)]
public sealed partial class BicepCompilationTests(InfraFixture infra)
{
    /// <summary>The rules that guard secrets, identities and portability; each must be an error, not a warning.</summary>
    public static readonly TheoryData<string> SecurityRules =
    [
        "secure-secrets-in-params",
        "no-hardcoded-env-urls",
        "outputs-should-not-contain-secrets",
        "use-secure-value-for-secure-inputs",
        "adminusername-should-not-be-literal",
        "no-unused-params",
        "no-unused-vars",
        "use-resource-symbol-reference",
        "protect-commandtoexecute-secrets",
        "use-stable-resource-identifiers",
        "secure-parameter-default",
        "secure-params-in-nested-deploy",
        "simplify-interpolation",
        "prefer-interpolation",
        "no-hardcoded-location",
        "what-if-short-circuiting",
    ];

    [Fact]
    public void Build_of_main_bicep_has_no_diagnostics()
    {
        AssertClean(infra.Build);
        Assert.Equal("https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", (string?)infra.Template["$schema"]);
    }

    [Fact]
    public void Build_params_of_main_bicepparam_has_no_diagnostics()
    {
        AssertClean(infra.BuildParams);
        var parameters = JsonNode.Parse((string)JsonNode.Parse(infra.BuildParams.StdOut)!["parametersJson"]!)!["parameters"]!;
        Assert.Equal("dev", (string?)parameters["environmentName"]?["value"]);
        Assert.NotEmpty(parameters["dynatraceEnvironments"]!["value"]!.AsArray());
    }

    [Fact]
    public void Lint_of_every_bicep_file_has_no_diagnostics()
    {
        AssertClean(infra.Lint);
        AssertClean(infra.LintParams);
    }

    [Fact]
    public void Snapshots_have_no_diagnostics()
    {
        foreach (var snapshot in infra.AllSnapshots)
        {
            Assert.True(snapshot.Diagnostics.Count == 0, $"[{snapshot}] {snapshot.Diagnostics.ToJsonString()}");
            Assert.NotEmpty(snapshot.Resources);
        }
    }

    [Theory]
    [MemberData(nameof(SecurityRules))]
    public void Bicepconfig_makes_the_rule_an_error(string rule)
    {
        var config = JsonNode.Parse(File.ReadAllText(RepositoryRoot.Combine("infra", "bicepconfig.json")))!;
        Assert.Equal("error", (string?)config["analyzers"]?["core"]?["rules"]?[rule]?["level"]);
    }

    /// <summary>Proves the lint gate bites: bicepconfig.json is picked up and a violation fails the run with its rule name.</summary>
    [Fact]
    public async Task Lint_fails_a_template_that_leaks_a_secret_or_hardcodes_a_cloud()
    {
        var canaryDir = Path.Combine(infra.InfraDir, "canary");
        Directory.CreateDirectory(canaryDir);
        await File.WriteAllTextAsync(
            Path.Combine(canaryDir, "canary.bicep"),
            """
            @secure()
            param webhookSecret string = 'not-a-real-secret'
            param location string = resourceGroup().location
            resource kv 'Microsoft.KeyVault/vaults@2024-11-01' existing = {
              name: 'kv-canary'
            }
            output uri string = 'https://management.azure.com/${kv.name}/${location}'
            output leaked string = webhookSecret
            """,
            TestContext.Current.CancellationToken);

        var result = await infra.RunAsync(["lint", "canary/canary.bicep"], new Dictionary<string, string?>(), TestContext.Current.CancellationToken);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Error secure-parameter-default", result.StdErr + result.StdOut, StringComparison.Ordinal);
        Assert.Contains("Error no-hardcoded-env-urls", result.StdErr + result.StdOut, StringComparison.Ordinal);
        Assert.Contains("Error outputs-should-not-contain-secrets", result.StdErr + result.StdOut, StringComparison.Ordinal);
    }

    /// <summary>No @secure() parameter anywhere: no secret can flow into the deployment, so none can reach an app setting.</summary>
    [Fact]
    public void Template_takes_no_secret_parameters()
    {
        var secureTypes = SecureParameterType().Matches(infra.Build.StdOut).Select(m => m.Value).ToList();
        Assert.True(secureTypes.Count == 0, $"Secure parameter types in the compiled template: {string.Join(", ", secureTypes)}");
    }

    private static void AssertClean(ProcessResult result)
    {
        var diagnostics = (result.StdOut + "\n" + result.StdErr)
            .Split('\n')
            .Where(line => DiagnosticLine().IsMatch(line))
            .ToList();
        Assert.True(
            result.ExitCode == 0 && diagnostics.Count == 0 && result.StdErr.Trim().Length == 0,
            $"Bicep reported {diagnostics.Count} diagnostic(s):\n{string.Join('\n', diagnostics)}\n\n{result.Transcript}");
    }

    [GeneratedRegex(@"\)\s*:\s*(Warning|Error|Info)\s", RegexOptions.IgnoreCase)]
    private static partial Regex DiagnosticLine();

    [GeneratedRegex("\"type\"\\s*:\\s*\"secure(string|object)\"", RegexOptions.IgnoreCase)]
    private static partial Regex SecureParameterType();
}
