namespace TokenFunctions.Repository.Tests.Infra;

/// <summary><c>azd up</c> works from azure.yaml: it names this infra folder and project, and the deployed app carries the tag azd looks for.</summary>
[Collection(InfraCollection.Name)]
public sealed class AzdTests(InfraFixture infra)
{
    [Fact]
    public async Task Azure_yaml_points_at_the_bicep_entry_point_and_the_function_app_project()
    {
        var azd = await YamlDocument.LoadAsync(RepositoryRoot.Combine("azure.yaml"));

        Assert.Equal("bicep", (string?)azd["infra"]!["provider"]);
        var module = RepositoryRoot.Combine((string)azd["infra"]!["path"]!, (string)azd["infra"]!["module"]! + ".bicep");
        Assert.True(File.Exists(module), $"{module} does not exist");
        Assert.True(File.Exists(Path.ChangeExtension(module, ".bicepparam")), "azd reads the parameters from main.bicepparam next to main.bicep");

        var api = azd["services"]!["api"]!;
        Assert.Equal("function", (string?)api["host"]);
        Assert.Equal("dotnet", (string?)api["language"]);
        Assert.True(File.Exists(RepositoryRoot.Combine((string)api["project"]!, "TokenFunctions.csproj")));
    }

    [Fact]
    public void The_function_app_carries_the_azd_service_tag_besides_the_common_tags()
    {
        var site = infra.Default.Single("Microsoft.Web/sites");

        Assert.Equal("api", (string?)site.Json["tags"]?["azd-service-name"]);
        Assert.Equal("tokenfunctions", (string?)site.Json["tags"]?["application"]);
    }
}
