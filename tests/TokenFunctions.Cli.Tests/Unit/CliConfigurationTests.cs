using TokenFunctions.Cli.Hosting;

namespace TokenFunctions.Cli.Tests.Unit;

public sealed class CliConfigurationTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tokenfunctions-config-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_local_settings_file_maps_double_underscores_to_sections()
    {
        var path = Path.Combine(_root, "local.settings.json");
        File.WriteAllText(path, """{ "IsEncrypted": false, "Values": { "Dynatrace__Environments__0__Name": "env1", "KillSwitch__DryRun": "true" } }""");

        var configuration = CliConfiguration.Build(new FileInfo(path), sandbox: null);

        Assert.Equal("env1", configuration["Dynatrace:Environments:0:Name"]);
        Assert.Equal("true", configuration["KillSwitch:DryRun"]);
    }

    [Fact]
    public void An_appsettings_file_is_flattened_and_the_sandbox_replaces_configured_environments()
    {
        var path = Path.Combine(_root, "appsettings.json");
        File.WriteAllText(path, """{ "Dynatrace": { "Environments": [ { "Name": "real-prod" }, { "Name": "real-dev" } ] }, "Audit": { "TableName": "audit2" } }""");

        var plain = CliConfiguration.Build(new FileInfo(path), sandbox: null);
        var sandboxed = CliConfiguration.Build(new FileInfo(path), new Dictionary<string, string?> { ["Dynatrace:Environments:0:Name"] = "prod" });

        Assert.Equal("real-dev", plain["Dynatrace:Environments:1:Name"]);
        Assert.Equal("prod", sandboxed["Dynatrace:Environments:0:Name"]);
        Assert.Null(sandboxed["Dynatrace:Environments:1:Name"]);
        Assert.Equal("audit2", sandboxed["Audit:TableName"]);
    }
}
