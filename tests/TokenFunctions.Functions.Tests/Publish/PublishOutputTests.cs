using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace TokenFunctions.Functions.Tests.Publish;

/// <summary>
/// <c>dotnet publish src/TokenFunctions -c Release</c>, as the deploy workflow runs it, inspected for what the Functions host
/// needs. It publishes with its own <c>--artifacts-path</c> in a temporary folder, so its obj/ and bin/ (the engine's too)
/// never touch the ones a parallel solution build is using; the environment is inherited (TOKENFUNCTIONS_LOCAL_FEED included).
/// </summary>
public sealed class PublishOutputTests
{
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TokenFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("TokenFunctions.sln not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public async Task Release_publish_ships_the_host_files_and_the_app()
    {
        var root = RepositoryRoot();
        var temp = Directory.CreateTempSubdirectory("tf-publish-");
        try
        {
            var output = Path.Combine(temp.FullName, "out");
            var start = new ProcessStartInfo("dotnet")
            {
                ArgumentList = { "publish", Path.Combine(root, "src", "TokenFunctions"), "-c", "Release", "--artifacts-path", Path.Combine(temp.FullName, "artifacts"), "-o", output, "--nologo" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = root,
            };
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(8));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"dotnet publish failed:\n{await stdout}\n{await stderr}");

            foreach (var file in new[] { "host.json", "functions.metadata", "worker.config.json", "TokenFunctions.dll", "TokenFunctions.Engine.dll", "TokenFunctions.deps.json", "TokenFunctions.runtimeconfig.json" })
            {
                Assert.True(File.Exists(Path.Combine(output, file)), $"{file} is missing from the publish output.");
            }

            Assert.False(File.Exists(Path.Combine(output, "local.settings.json")));
            Assert.False(File.Exists(Path.Combine(output, "local.settings.sample.json")));
            Assert.Equal(
                File.ReadAllText(Path.Combine(root, "host.json")),
                File.ReadAllText(Path.Combine(output, "host.json")));
            var worker = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "worker.config.json")))!["description"]!;
            Assert.Equal("TokenFunctions.dll", (string?)worker["defaultWorkerPath"]);
            Assert.Equal("dotnet-isolated", (string?)worker["language"]);
            Assert.Equal(12, JsonNode.Parse(File.ReadAllText(Path.Combine(output, "functions.metadata")))!.AsArray().Count);
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_developers_local_settings_json_is_copied_for_local_runs_but_never_published()
    {
        // The file holds a developer's secrets and is git-ignored, so it is not there to publish; the project item is what keeps it out.
        var project = XDocument.Load(Path.Combine(RepositoryRoot(), "src", "TokenFunctions", "TokenFunctions.csproj"));
        var item = Assert.Single(project.Descendants("None"), n => (string?)n.Attribute("Include") == "local.settings.json");

        Assert.Equal("Never", (string?)item.Attribute("CopyToPublishDirectory"));
        Assert.Equal("PreserveNewest", (string?)item.Attribute("CopyToOutputDirectory"));
    }
}
