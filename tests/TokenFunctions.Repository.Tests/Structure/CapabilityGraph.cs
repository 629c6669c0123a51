using System.Text.RegularExpressions;
using TokenFunctions.Repository.Tests.Infra;

namespace TokenFunctions.Repository.Tests.Structure;

/// <summary>
/// Which top-level folder of the engine uses which, read from the source: an edge A → B when a file in A names a
/// top-level type declared in B. Reading text rather than compiled metadata keeps it free of a build of the engine,
/// and comments and string literals are left out so that prose does not count as a dependency.
/// </summary>
internal sealed partial class CapabilityGraph
{
    private CapabilityGraph(IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> edges) => Edges = edges;

    /// <summary>Folder → the folders it uses → the "File.cs:Type" references behind that edge.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> Edges { get; }

    public static CapabilityGraph OfEngine()
    {
        var root = RepositoryRoot.Combine("src", "TokenFunctions.Engine");
        var sources = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(Path.GetRelativePath(root, f)))
            .Select(f => (Folder: FolderOf(root, f), Name: Path.GetFileName(f), Code: CodeOnly(File.ReadAllText(f))))
            .Where(f => f.Folder is not null)
            .ToList();

        var declaredIn = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (folder, _, code) in sources)
        {
            foreach (Match m in Declaration().Matches(code))
            {
                declaredIn.TryAdd(m.Groups["name"].Value, folder!);
            }
        }

        var edges = new Dictionary<string, Dictionary<string, List<string>>>(StringComparer.Ordinal);
        foreach (var (folder, name, code) in sources)
        {
            foreach (var identifier in TypeReferences(code))
            {
                if (declaredIn.TryGetValue(identifier, out var used) && used != folder)
                {
                    var targets = edges.TryGetValue(folder!, out var t) ? t : edges[folder!] = new(StringComparer.Ordinal);
                    (targets.TryGetValue(used, out var refs) ? refs : targets[used] = []).Add($"{name}:{identifier}");
                }
            }
        }

        return new CapabilityGraph(edges.ToDictionary(
            e => e.Key,
            e => (IReadOnlyDictionary<string, IReadOnlyList<string>>)e.Value.ToDictionary(t => t.Key, t => (IReadOnlyList<string>)t.Value, StringComparer.Ordinal),
            StringComparer.Ordinal));
    }

    /// <summary>Every cycle's folders (strongly connected components of more than one folder), with the edges inside.</summary>
    public IReadOnlyList<string> Cycles()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var found = new List<string>();
        var next = 0;

        void Visit(string v)
        {
            index[v] = low[v] = next++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in Uses(v))
            {
                if (!index.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], index[w]);
                }
            }

            if (low[v] != index[v])
            {
                return;
            }

            var component = new List<string>();
            string popped;
            do
            {
                popped = stack.Pop();
                onStack.Remove(popped);
                component.Add(popped);
            }
            while (popped != v);

            if (component.Count > 1)
            {
                var inside = from a in component
                             from b in Uses(a)
                             where component.Contains(b)
                             select $"{a} → {b} ({string.Join(", ", Edges[a][b].Take(4))})";
                found.Add(string.Join("; ", inside));
            }
        }

        foreach (var folder in Edges.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(folder))
            {
                Visit(folder);
            }
        }

        return found;
    }

    public IEnumerable<string> Uses(string folder) =>
        Edges.TryGetValue(folder, out var targets) ? targets.Keys.Order(StringComparer.Ordinal) : [];

    // A name followed by "(" is a method (declared or called) unless "new" precedes it: a method may share a type's name
    // (TokenFunctionsMetrics.TokenOutcome records a TokenOutcome's kind) without using the type.
    private static IEnumerable<string> TypeReferences(string code) =>
        Identifier().Matches(code).Select(m => m.Value)
            .Concat(Constructed().Matches(code).Select(m => m.Groups["name"].Value))
            .Distinct(StringComparer.Ordinal);

    private static bool IsBuildOutput(string relative) =>
        relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
        || relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    // Files at the engine's root (the composition root) wire everything together and are no capability.
    private static string? FolderOf(string root, string file)
    {
        var relative = Path.GetRelativePath(root, file);
        var separator = relative.IndexOf(Path.DirectorySeparatorChar, StringComparison.Ordinal);
        return separator < 0 ? null : relative[..separator];
    }

    private static string CodeOnly(string text) => StringLiteral().Replace(Comment().Replace(text, string.Empty), "\"\"");

    [GeneratedRegex(@"^(?:public|internal)\s+(?:(?:static|sealed|abstract|partial|readonly|ref|record)\s+)*(?:class|record|struct|interface|enum)\s+(?<name>\w+)", RegexOptions.Multiline)]
    private static partial Regex Declaration();

    [GeneratedRegex(@"\b[A-Z]\w*\b(?!\s*\()")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"\bnew\s+(?<name>[A-Z]\w*)\s*\(")]
    private static partial Regex Constructed();

    [GeneratedRegex(@"//.*")]
    private static partial Regex Comment();

    [GeneratedRegex(@"@?""(?:[^""\\]|\\.)*""")]
    private static partial Regex StringLiteral();
}
