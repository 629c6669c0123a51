namespace TokenFunctions.Repository.Tests.Infra;

/// <summary>What the deployment hands to operators and to deploy.yml: endpoints and names, no secret.</summary>
[Collection(InfraCollection.Name)]
public sealed class OutputsTests(InfraFixture infra)
{
    [Theory]
    [InlineData("gitHub", "/api/webhooks/github")]
    [InlineData("gitHubPartner", "/api/webhooks/github-partner")]
    [InlineData("gitGuardian", "/api/webhooks/gitguardian")]
    [InlineData("generic", "/api/webhooks/generic")]
    [InlineData("gitLab", "/api/gitlab/v1/revoke_tokens")]
    [InlineData("audit", "/api/audit")]
    public void Endpoint_output_is_https_on_the_function_app_host(string name, string route)
    {
        var endpoints = (string)infra.Default.Outputs["endpoints"]!;
        var site = infra.Default.Single("Microsoft.Web/sites").Id;

        Assert.Contains($"'{name}', format('{{0}}{route.Replace("/api", "", StringComparison.Ordinal)}', format('https://{{0}}/api', reference('{site}', '2024-11-01').defaultHostName))", endpoints, StringComparison.Ordinal);
    }

    [Fact]
    public void Outputs_name_what_deploy_yml_and_operators_need()
    {
        string[] expected =
        [
            "functionAppName", "functionAppHostName", "endpoints", "keyVaultName", "keyVaultUri", "serviceBusNamespace",
            "incidentQueueName", "storageAccountName", "functionIdentityClientId", "functionIdentityPrincipalId",
            "workbookId", "alertRuleIds", "deployerClientId",
        ];
        Assert.Equal(expected.Order(), infra.Template["outputs"]!.AsObject().Select(o => o.Key).Order());
        Assert.Equal("incidents", (string?)infra.Default.Outputs["incidentQueueName"]);
    }

    [Fact]
    public void Deployer_client_id_is_empty_without_the_github_deployer()
    {
        Assert.Equal("", (string?)infra.Default.Outputs["deployerClientId"]);
        Assert.Contains("id-tokenfn-staging-github", (string)infra.Staging.Outputs["deployerClientId"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void No_output_is_secure_or_reads_keys()
    {
        foreach (var (name, output) in infra.Template["outputs"]!.AsObject())
        {
            var type = (string?)output!["type"] ?? "";
            Assert.DoesNotContain("secure", type, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotMatch(@"\blist[A-Za-z]*\(", output.ToJsonString());
            Assert.DoesNotContain("ConnectionString", name, StringComparison.OrdinalIgnoreCase);
        }
    }
}
