using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using TokenFunctions.Repository.Tests.Infra;

namespace TokenFunctions.Repository.Tests.Docs;

/// <summary>
/// One Markdown page of the repository's documentation, split the way GitHub renders it: fenced code blocks apart from
/// the prose, so links and headings are read from the prose only and commands from both.
/// </summary>
internal sealed partial class MarkdownPage
{
    private MarkdownPage(string relativePath, string text)
    {
        RelativePath = relativePath;
        Text = text;
        var prose = new StringBuilder();
        var blocks = new List<string>();
        StringBuilder? block = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                if (block is null)
                {
                    block = new StringBuilder();
                }
                else
                {
                    blocks.Add(block.ToString());
                    block = null;
                }

                continue;
            }

            (block ?? prose).Append(line).Append('\n');
        }

        Prose = prose.ToString();
        CodeBlocks = blocks;
        InlineCode = [.. InlineCodePattern().Matches(Prose).Select(m => m.Groups["code"].Value)];
        Links = [.. LinkPattern().Matches(Prose).Select(m => m.Groups["target"].Value)];
        Anchors = SlugsOf(Prose);
    }

    /// <summary>README.md and every page under docs/, in a stable order.</summary>
    public static IReadOnlyList<MarkdownPage> All { get; } = LoadAll();

    /// <summary>Repository-relative, with forward slashes (e.g. <c>docs/runbook.md</c>).</summary>
    public string RelativePath { get; }

    public string Text { get; }

    /// <summary>Everything outside fenced code blocks.</summary>
    public string Prose { get; }

    /// <summary>The content of each fenced code block (the fence lines excluded).</summary>
    public IReadOnlyList<string> CodeBlocks { get; }

    /// <summary>The content of each inline code span in the prose.</summary>
    public IReadOnlyList<string> InlineCode { get; }

    /// <summary>The target of each inline link in the prose, as written.</summary>
    public IReadOnlyList<string> Links { get; }

    /// <summary>The anchors GitHub generates for the page's headings.</summary>
    public IReadOnlySet<string> Anchors { get; }

    public string Directory => Path.GetDirectoryName(RelativePath)!.Replace('\\', '/');

    public static MarkdownPage Load(string relativePath) =>
        new(relativePath, File.ReadAllText(RepositoryRoot.Combine(relativePath.Split('/'))).ReplaceLineEndings("\n"));

    public override string ToString() => RelativePath;

    /// <summary>
    /// GitHub's heading anchors: inline markup dropped, lower case, anything but letters, digits, spaces, '-' and '_'
    /// removed, spaces turned into '-'; a repeated heading gets "-1", "-2", ….
    /// </summary>
    private static HashSet<string> SlugsOf(string prose)
    {
        var slugs = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (Match heading in HeadingPattern().Matches(prose))
        {
            var text = LinkPattern().Replace(heading.Groups["text"].Value, m => m.Groups["label"].Value);
            var slug = new StringBuilder();
            foreach (var c in text.Trim().ToLowerInvariant())
            {
                if (char.IsLetterOrDigit(c) || c is '-' or '_')
                {
                    slug.Append(c);
                }
                else if (c == ' ')
                {
                    slug.Append('-');
                }
            }

            var anchor = slug.ToString();
            if (seen.TryGetValue(anchor, out var count))
            {
                seen[anchor] = count + 1;
                anchor = string.Create(CultureInfo.InvariantCulture, $"{anchor}-{count}");
            }
            else
            {
                seen[anchor] = 1;
            }

            slugs.Add(anchor);
        }

        return slugs;
    }

    private static List<MarkdownPage> LoadAll()
    {
        var docs = System.IO.Directory.EnumerateFiles(RepositoryRoot.Combine("docs"), "*.md", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(RepositoryRoot.Path, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
        return [.. new[] { "README.md" }.Concat(docs).Select(Load)];
    }

    [GeneratedRegex(@"^#{1,6}[ \t]+(?<text>.+?)[ \t]*#*[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex HeadingPattern();

    [GeneratedRegex(@"(?<!!)\[(?<label>[^\]]*)\]\((?<target>[^)\s]+)\)")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"(?<ticks>`+)(?<code>.+?)\k<ticks>")]
    private static partial Regex InlineCodePattern();
}
