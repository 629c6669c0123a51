using System.Text.RegularExpressions;
using TokenFunctions.Repository.Tests.Infra;

namespace TokenFunctions.Repository.Tests.Docs;

/// <summary>The C# under src/ as text: declared property names and the segments of every string literal.</summary>
internal sealed partial class SourceText
{
    private readonly HashSet<string> properties;
    private readonly HashSet<string> literalSegments;
    private readonly HashSet<string> literals;

    private SourceText(HashSet<string> properties, HashSet<string> literalSegments, HashSet<string> literals, List<string> sectionNames)
    {
        this.properties = properties;
        this.literalSegments = literalSegments;
        this.literals = literals;
        SectionNames = sectionNames;
    }

    /// <summary>The values of every <c>SectionName</c> constant (the sections options bind to).</summary>
    public IReadOnlyList<string> SectionNames { get; }

    public bool Reads(string segment) => properties.Contains(segment) || literalSegments.Contains(segment);

    /// <summary>A property of that name is declared in src/ (what an options section binds a key segment to).</summary>
    public bool DeclaresProperty(string segment) => properties.Contains(segment);

    /// <summary>Some string literal in src/ holds the segment (a key read by name, <c>%Setting%</c> included).</summary>
    public bool HasLiteral(string segment) => literalSegments.Contains(segment);

    /// <summary>Some string literal in src/ is exactly this text (a relative key such as <c>"GitHub:WebhookSecret"</c>).</summary>
    public bool HasWholeLiteral(string text) => literals.Contains(text);

    public static SourceText Read()
    {
        var properties = new HashSet<string>(StringComparer.Ordinal);
        var segments = new HashSet<string>(StringComparer.Ordinal);
        var literals = new HashSet<string>(StringComparer.Ordinal);
        var sections = new List<string>();
        var separator = Path.DirectorySeparatorChar;
        var files = Directory.EnumerateFiles(RepositoryRoot.Combine("src"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{separator}obj{separator}", StringComparison.Ordinal)
                && !path.Contains($"{separator}bin{separator}", StringComparison.Ordinal));
        foreach (var file in files)
        {
            // Comments may name keys that nothing reads; only code counts.
            var code = string.Join('\n', File.ReadAllLines(file).Where(line => !line.TrimStart().StartsWith("//", StringComparison.Ordinal)));
            properties.UnionWith(PropertyDeclaration().Matches(code).Select(m => m.Groups["name"].Value));
            foreach (Match literal in StringLiteral().Matches(code))
            {
                literals.Add(literal.Groups["text"].Value);
                segments.UnionWith(literal.Groups["text"].Value.Split([':', '%'], StringSplitOptions.RemoveEmptyEntries).SelectMany(s => s.Split("__")));
            }

            sections.AddRange(SectionNameConstant().Matches(code).Select(m => m.Groups["section"].Value));
        }

        return new SourceText(properties, segments, literals, sections);
    }

    [GeneratedRegex(@"\b(?<name>[A-Z]\w*)\s*\{\s*(?:get|init)\b")]
    private static partial Regex PropertyDeclaration();

    [GeneratedRegex(@"""(?<text>[^""\\\n]*)""")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"SectionName\s*=\s*""(?<section>[^""]+)""")]
    private static partial Regex SectionNameConstant();
}
