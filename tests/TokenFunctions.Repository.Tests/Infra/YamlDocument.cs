using System.Text.Json.Nodes;

namespace TokenFunctions.Repository.Tests.Infra;

/// <summary>
/// Parses a YAML file with PyYAML (python3 and PyYAML are on this machine and on GitHub's Ubuntu runners; ci.yml makes
/// sure) and hands it back as JSON. A YAML error fails the test with the parser's message.
/// </summary>
internal static class YamlDocument
{
    // YAML 1.1 reads a bare `on:` key as the boolean true; GitHub reads it as "on". Keys are restored to strings.
    private const string Script = """
        import json, sys, yaml
        def keys(o):
            if isinstance(o, dict):
                return {("on" if k is True else str(k)): keys(v) for k, v in o.items()}
            if isinstance(o, list):
                return [keys(v) for v in o]
            return o
        with open(sys.argv[1], encoding="utf-8") as f:
            json.dump(keys(yaml.safe_load(f)), sys.stdout)
        """;

    public static async Task<JsonObject> LoadAsync(string path)
    {
        var result = await ExternalProcess.RunAsync(
            "python3", ["-c", Script, path], RepositoryRoot.Path, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(result.ExitCode == 0, $"{path} is not valid YAML (or python3 with PyYAML is missing):\n{result.Transcript}");
        return JsonNode.Parse(result.StdOut)!.AsObject();
    }
}
