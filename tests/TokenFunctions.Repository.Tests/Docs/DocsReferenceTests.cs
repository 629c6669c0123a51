using System.Text.RegularExpressions;
using TokenFunctions.Repository.Tests.Infra;

namespace TokenFunctions.Repository.Tests.Docs;

/// <summary>
/// Every link, repository path and project the README and the docs/ pages name exists: a renamed file, a moved heading
/// or a deleted project fails here instead of in a reader's terminal.
/// </summary>
public sealed partial class DocsReferenceTests
{
    public static TheoryData<string> Pages => [.. MarkdownPage.All.Select(page => page.RelativePath)];

    [Fact]
    public void The_docs_folder_has_pages_and_the_README_links_every_one_of_them()
    {
        var readme = MarkdownPage.Load("README.md");
        var pages = MarkdownPage.All.Where(page => page.RelativePath.StartsWith("docs/", StringComparison.Ordinal)).ToList();

        Assert.True(pages.Count >= 10, $"expected the capability pages under docs/, found {pages.Count}");
        var linked = readme.Links.Select(link => link.Split('#')[0]).ToHashSet(StringComparer.Ordinal);
        Assert.Empty(pages.Where(page => !linked.Contains(page.RelativePath)).Select(page => page.RelativePath));
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_relative_link_resolves_to_a_file_and_every_anchor_to_a_heading(string relativePath)
    {
        var page = MarkdownPage.Load(relativePath);
        var broken = new List<string>();
        foreach (var link in page.Links.Where(IsRelative))
        {
            var hash = link.IndexOf('#', StringComparison.Ordinal);
            var target = hash < 0 ? link : link[..hash];
            var anchor = hash < 0 ? null : link[(hash + 1)..];
            var targetPath = target.Length == 0 ? page.RelativePath : Normalize(page.Directory, target);

            if (targetPath is null)
            {
                broken.Add($"{link}: leaves the repository");
            }
            else if (!Exists(targetPath))
            {
                broken.Add($"{link}: {targetPath} does not exist");
            }
            else if (anchor is not null)
            {
                var anchors = targetPath == page.RelativePath ? page.Anchors : MarkdownPage.Load(targetPath).Anchors;
                if (!anchors.Contains(anchor))
                {
                    broken.Add($"{link}: {targetPath} has no heading with anchor #{anchor}");
                }
            }
        }

        Assert.Empty(broken);
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_repository_path_in_code_exists(string relativePath)
    {
        var page = MarkdownPage.Load(relativePath);
        var missing = page.InlineCode.Concat(page.CodeBlocks)
            .SelectMany(code => RepositoryPathPattern().Matches(code).Select(m => m.Value))
            .Select(TrimPath)
            .Where(path => path.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Where(path => !Exists(path))
            .ToList();

        Assert.Empty(missing);
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_project_and_solution_a_command_names_exists(string relativePath)
    {
        var page = MarkdownPage.Load(relativePath);
        var broken = new List<string>();
        foreach (Match command in ProjectArgumentPattern().Matches(page.Text))
        {
            var target = command.Groups["target"].Value.Trim('\'', '"', '`');
            if (!IsProjectOrSolution(target))
            {
                broken.Add($"{command.Value.Trim()}: {target} is not a project or solution in this repository");
            }
        }

        Assert.Empty(broken);
    }

    [Fact]
    public void The_path_patterns_see_what_the_pages_name()
    {
        // Guards the checks above against matching nothing: the README names projects, paths and links of each kind.
        var readme = MarkdownPage.Load("README.md");

        Assert.Contains(readme.InlineCode.SelectMany(code => RepositoryPathPattern().Matches(code)).Select(m => TrimPath(m.Value)), path => path == "src/TokenFunctions.Engine");
        Assert.Contains(ProjectArgumentPattern().Matches(readme.Text).Select(m => m.Groups["target"].Value), target => target == "TokenFunctions.sln");
        Assert.Contains(ProjectArgumentPattern().Matches(readme.Text).Select(m => m.Groups["target"].Value), target => target == "tests/TokenFunctions.Benchmarks");
        Assert.Contains("docs/runbook.md", readme.Links);
        Assert.Contains("runbook", MarkdownPage.Load("README.md").Anchors);
    }

    [Fact]
    public void Anchors_follow_GitHub_for_code_punctuation_and_arrows()
    {
        var page = MarkdownPage.Load("docs/observability.md");

        Assert.Contains("querying-it-get-apiaudit", page.Anchors);
        Assert.Contains("export-from-the-function-app-opentelemetry--azure-monitor", page.Anchors);
    }

    private static bool IsRelative(string link) =>
        !link.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
        && !link.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        && !link.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase);

    /// <summary>The repository-relative path <paramref name="target"/> names from a page in <paramref name="directory"/>; null outside the repository.</summary>
    private static string? Normalize(string directory, string target)
    {
        var parts = new List<string>(directory.Split('/', StringSplitOptions.RemoveEmptyEntries));
        foreach (var part in Uri.UnescapeDataString(target).Split('/'))
        {
            switch (part)
            {
                case "" or ".":
                    break;
                case "..":
                    if (parts.Count == 0)
                    {
                        return null;
                    }

                    parts.RemoveAt(parts.Count - 1);
                    break;
                default:
                    parts.Add(part);
                    break;
            }
        }

        return string.Join('/', parts);
    }

    /// <summary>Drops sentence punctuation after a path and cuts a glob back to the folder it searches.</summary>
    private static string TrimPath(string path)
    {
        var star = path.IndexOf('*', StringComparison.Ordinal);
        if (star >= 0)
        {
            path = path[..(path.LastIndexOf('/', star) + 1)];
        }

        return path.TrimEnd('.', ',', ':', ';', ')');
    }

    private static bool Exists(string repositoryPath)
    {
        var full = RepositoryRoot.Combine(repositoryPath.TrimEnd('/').Split('/'));
        return File.Exists(full) || Directory.Exists(full);
    }

    private static bool IsProjectOrSolution(string target)
    {
        var full = RepositoryRoot.Combine(target.TrimEnd('/').Split('/'));
        if (File.Exists(full))
        {
            return Path.GetExtension(full) is ".csproj" or ".sln" or ".slnx" or ".slnf";
        }

        return Directory.Exists(full) && Directory.EnumerateFiles(full, "*.csproj").Count() == 1;
    }

    /// <summary>A path under one of the repository's top folders, not part of a longer path or URL.</summary>
    [GeneratedRegex(@"(?<![\w./-])(?:src|tests|infra|docs|\.ci|\.github)/[\w.\-/*]*")]
    private static partial Regex RepositoryPathPattern();

    /// <summary>What <c>--project</c>/<c>--solution</c> names, and the path argument of dotnet build/publish/restore/format.</summary>
    [GeneratedRegex(@"(?:--project|--solution)[ =](?<target>[^\s`]+)|dotnet (?:build|publish|restore|format) (?<target>[^\s`-][^\s`]*)")]
    private static partial Regex ProjectArgumentPattern();
}
