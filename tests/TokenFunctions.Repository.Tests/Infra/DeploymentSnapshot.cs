using System.Text.Json.Nodes;

namespace TokenFunctions.Repository.Tests.Infra;

/// <summary>
/// The output of <c>bicep snapshot</c>: every resource the deployment would create, with parameters and names evaluated
/// (values known only after deployment, such as endpoints and principal ids, stay as ARM expressions).
/// </summary>
internal sealed class DeploymentSnapshot
{
    public DeploymentSnapshot(string label, JsonObject root)
    {
        Label = label;
        Resources = (root["predictedResources"] as JsonArray ?? [])
            .Select(node => new PredictedResource(node!.AsObject()))
            .ToList();
        Diagnostics = root["diagnostics"] as JsonArray ?? [];
        Outputs = root["outputs"] as JsonObject ?? [];
    }

    /// <summary>Which parameter set produced it, for failure messages.</summary>
    public string Label { get; }

    public IReadOnlyList<PredictedResource> Resources { get; }

    public JsonArray Diagnostics { get; }

    public JsonObject Outputs { get; }

    public IReadOnlyList<PredictedResource> OfType(string type) =>
        Resources.Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase)).ToList();

    public PredictedResource Single(string type)
    {
        var matches = OfType(type);
        Assert.True(matches.Count == 1, $"[{Label}] expected exactly one {type}, found {matches.Count}.");
        return matches[0];
    }

    public PredictedResource Named(string type, string nameSuffix)
    {
        var matches = OfType(type).Where(r => r.Name.EndsWith(nameSuffix, StringComparison.Ordinal)).ToList();
        Assert.True(matches.Count == 1, $"[{Label}] expected one {type} named *{nameSuffix}, found {matches.Count}.");
        return matches[0];
    }

    public override string ToString() => Label;
}

internal sealed record PredictedResource(JsonObject Json)
{
    public string Type => (string)Json["type"]!;

    public string Name => (string)Json["name"]!;

    public string Id => (string)Json["id"]!;

    public JsonObject Properties => Json["properties"] as JsonObject ?? [];

    /// <summary>A string at a dotted path under <c>properties</c>, e.g. <c>siteConfig.minTlsVersion</c>.</summary>
    public string? Prop(string path) => At(path)?.ToString();

    public bool? Flag(string path) => At(path)?.GetValue<bool>();

    public JsonNode? At(string path)
    {
        JsonNode? node = Properties;
        foreach (var part in path.Split('.'))
        {
            node = node?[part];
        }

        return node;
    }
}
