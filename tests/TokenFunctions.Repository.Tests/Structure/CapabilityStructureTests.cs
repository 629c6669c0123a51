using TokenFunctions.Repository.Tests.Infra;

namespace TokenFunctions.Repository.Tests.Structure;

/// <summary>
/// The engine's folders are its capabilities, and data flows one way between them (docs/glossary.md): a capability
/// that must call a later one owns the interface, so no two folders depend on each other, directly or round a loop.
/// </summary>
public sealed class CapabilityStructureTests
{
    private static readonly CapabilityGraph Graph = CapabilityGraph.OfEngine();

    [Fact]
    public void No_capability_folder_of_the_engine_depends_on_itself_round_a_loop()
    {
        Assert.Empty(Graph.Cycles());
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
