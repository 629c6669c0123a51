using TokenFunctions.Repository.Tests.Infra;

namespace TokenFunctions.Repository.Tests.Structure;

/// <summary>
/// The engine's folders are its capabilities, and data flows one way between them (docs/glossary.md): a capability
/// that must call a later one owns the interface, so no two folders depend on each other, directly or round a loop.
/// </summary>
public sealed class CapabilityStructureTests
{
    private static readonly CapabilityGraph Graph = CapabilityGraph.OfEngine();

    // docs/glossary.md: each folder uses only folders after it in this list (Sources and Rotation share the first place).
    private static readonly string[][] Layers =
    [
        ["Sources", "Rotation"], ["Incidents"], ["Notifications"], ["Kill"], ["Dynatrace"], ["KeyVault"], ["Audit"],
        ["Leaks"], ["Telemetry", "Storage", "Primitives", "Tokens"],
    ];

    [Fact]
    public void No_capability_folder_of_the_engine_depends_on_itself_round_a_loop()
    {
        Assert.Empty(Graph.Cycles());
    }

    [Fact]
    public void Every_dependency_between_capability_folders_points_down_the_documented_layers()
    {
        var layerOf = Layers.SelectMany((names, i) => names.Select(n => (n, i))).ToDictionary(x => x.n, x => x.i, StringComparer.Ordinal);
        var against = from folder in Graph.Edges.Keys
                      from used in Graph.Uses(folder)
                      where !layerOf.TryGetValue(folder, out var a) || !layerOf.TryGetValue(used, out var b) || b <= a
                      select $"{folder} → {used} ({string.Join(", ", Graph.Edges[folder][used].Take(4))})";

        Assert.Empty(against);
    }

    [Fact]
    public void The_layers_name_every_capability_folder_and_the_glossary_states_them()
    {
        var glossary = File.ReadAllText(RepositoryRoot.Combine("docs", "glossary.md"));

        Assert.Equal(CapabilityFolders().Order(StringComparer.Ordinal), Layers.SelectMany(l => l).Order(StringComparer.Ordinal));
        Assert.Contains(string.Join(" → ", Layers.Select(l => string.Join(", ", l.Select(n => $"`{n}/`")))), glossary.ReplaceLineEndings(" "), StringComparison.Ordinal);
    }

    [Fact]
    public void The_graph_sees_the_dependencies_it_is_meant_to_police()
    {
        // Guards the guard: if the reading broke (no types found, wrong root), an empty graph would pass the test above.
        Assert.Contains("Kill", Graph.Uses("Rotation"));
        Assert.Contains("Dynatrace", Graph.Uses("Kill"));
        Assert.DoesNotContain("Rotation", Graph.Uses("Kill"));
    }

    [Fact]
    public void The_glossary_names_every_capability_folder_of_the_engine()
    {
        var glossary = File.ReadAllText(RepositoryRoot.Combine("docs", "glossary.md"));
        var folders = CapabilityFolders();

        Assert.NotEmpty(folders);
        Assert.All(folders, folder => Assert.Contains($"`{folder}/`", glossary, StringComparison.Ordinal));
    }

    [Fact]
    public void The_readme_architecture_names_every_capability_folder_of_the_engine()
    {
        var readme = File.ReadAllText(RepositoryRoot.Combine("README.md"));
        var folders = CapabilityFolders();

        Assert.NotEmpty(folders);

        Assert.All(folders, folder => Assert.Contains($"`{folder}/`", readme, StringComparison.Ordinal));
    }

    // Folders that hold code: a folder emptied by a move stays behind in a working copy until it is deleted.
    private static List<string> CapabilityFolders() =>
        [.. Directory.EnumerateDirectories(RepositoryRoot.Combine("src", "TokenFunctions.Engine"))
            .Where(dir => Path.GetFileName(dir) is not ("bin" or "obj"))
            .Where(dir => Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories).Any())
            .Select(dir => Path.GetFileName(dir))];
}
