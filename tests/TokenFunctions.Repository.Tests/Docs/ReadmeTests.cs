using System.Text.RegularExpressions;
using TokenFunctions.Repository.Tests.Infra;

namespace TokenFunctions.Repository.Tests.Docs;

/// <summary>What a newcomer reads first: the two commands on the first screen, and a test command that is the one CI runs.</summary>
public sealed partial class ReadmeTests
{
    private const int FirstScreenLines = 25;

    private static readonly MarkdownPage Readme = MarkdownPage.Load("README.md");

    [Fact]
    public void The_first_screen_gives_the_demo_then_the_test_command()
    {
        var firstScreen = MarkdownPage.Load("README.md").Text.Split('\n').Take(FirstScreenLines);
        var blocks = FencedBlocks(string.Join('\n', firstScreen));

        Assert.True(blocks.Count >= 2, $"the first {FirstScreenLines} lines hold {blocks.Count} command blocks");
        Assert.Equal("dotnet run --project src/TokenFunctions.Cli -- demo", blocks[0]);
        Assert.Equal("bash .ci/run", blocks[1]);
    }

    [Fact]
    public void The_README_test_command_is_the_one_ci_run_runs()
    {
        var command = CiRunTestCommand();

        Assert.Equal("dotnet test --solution TokenFunctions.sln", command);
        Assert.Contains(command, Readme.InlineCode);
        Assert.Contains(MarkdownPage.Load("docs/testing.md").CodeBlocks, block => block.Trim() == command);
    }

    [Fact]
    public void The_local_feed_the_README_names_is_what_ci_run_and_the_build_use()
    {
        var ciRun = File.ReadAllText(RepositoryRoot.Combine(".ci", "run"));
        var props = File.ReadAllText(RepositoryRoot.Combine("Directory.Build.props"));

        Assert.Contains("`TOKENFUNCTIONS_LOCAL_FEED`", Readme.Text, StringComparison.Ordinal);
        Assert.Contains("`../shared/nuget-local`", Readme.Text, StringComparison.Ordinal);
        Assert.Contains("export TOKENFUNCTIONS_LOCAL_FEED=", ciRun, StringComparison.Ordinal);
        Assert.Contains("/shared/nuget-local", ciRun, StringComparison.Ordinal);
        Assert.Contains("$(TOKENFUNCTIONS_LOCAL_FEED)", props, StringComparison.Ordinal);
    }

    [Fact]
    public void No_page_mentions_the_removed_restricted_feed_variant()
    {
        var mentions = MarkdownPage.All
            .Where(page => page.Text.Contains("Offline.slnf", StringComparison.OrdinalIgnoreCase)
                || page.Text.Contains("restricted-feed", StringComparison.OrdinalIgnoreCase)
                || page.Text.Contains("restricted feed", StringComparison.OrdinalIgnoreCase))
            .Select(page => page.RelativePath);

        Assert.Empty(mentions);
        Assert.False(File.Exists(RepositoryRoot.Combine("TokenFunctions.Offline.slnf")));
    }

    [Fact]
    public void The_README_stays_a_first_page()
    {
        var lines = Readme.Text.TrimEnd('\n').Split('\n').Length;

        Assert.True(lines <= 200, $"README.md has {lines} lines; move depth into docs/");
    }

    [Fact]
    public void The_UNCONFIRMED_convention_stays_documented_and_every_marker_uses_its_form()
    {
        // No count: confirming a fact removes its marker without breaking the build; the convention itself must stay.
        var facts = MarkdownPage.Load("docs/dynatrace.md");
        Assert.Contains(
            "**UNCONFIRMED** marks a fact no primary source confirms: the code is written to survive either answer",
            facts.Prose.ReplaceLineEndings(" "),
            StringComparison.Ordinal);

        var malformed = MarkdownPage.All
            .SelectMany(page => page.Prose.Split('\n').Select(line => (page.RelativePath, line)))
            .Where(entry => !IsWellFormedMarker(entry.line))
            .Select(entry => $"{entry.RelativePath}: {entry.line.Trim()}")
            .ToList();

        Assert.Empty(malformed);
    }

    [Theory]
    [InlineData("- **UNCONFIRMED:** whether Dynatrace sends `Retry-After` at all.", true)]
    [InlineData("the minimum is [UNCONFIRMED](dynatrace.md#facts), so the app asks for all four", true)]
    [InlineData("- UNCONFIRMED: whether Dynatrace sends `Retry-After` at all.", false)]
    [InlineData("- **UNCONFIRMED**: whether Dynatrace sends `Retry-After` at all.", false)]
    [InlineData("- *UNCONFIRMED:* whether Dynatrace sends `Retry-After` at all.", false)]
    [InlineData("the scope is **Unconfirmed:** here", false)]
    [InlineData("the scope is unconfirmed here", false)]
    public void A_marker_in_another_form_would_be_caught(string line, bool wellFormed) =>
        Assert.Equal(wellFormed, IsWellFormedMarker(line));

    /// <summary>
    /// A line with no marker, or whose markers read <c>UNCONFIRMED</c> in capitals (so a grep finds them all), a bold one
    /// always <c>**UNCONFIRMED:**</c> and a list item that starts with one always starting <c>- **UNCONFIRMED:**</c>.
    /// The paragraph that explains the convention names it as <c>**UNCONFIRMED**</c>.
    /// </summary>
    private static bool IsWellFormedMarker(string line)
    {
        if (!line.Contains("unconfirmed", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var withoutDefinition = line.Replace("**UNCONFIRMED** marks a fact", string.Empty, StringComparison.Ordinal);
        return Regex.Count(withoutDefinition, "unconfirmed", RegexOptions.IgnoreCase) == Regex.Count(withoutDefinition, "UNCONFIRMED")
            && !EmphasisedMarker().Matches(withoutDefinition).Any(m => m.Value != "**UNCONFIRMED:**")
            && !ListItemStartingWithMarker().IsMatch(withoutDefinition);
    }

    /// <summary>The non-comment <c>dotnet test</c> line of .ci/run, without its redirections and pipes.</summary>
    private static string CiRunTestCommand()
    {
        var lines = File.ReadAllLines(RepositoryRoot.Combine(".ci", "run"))
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("dotnet test ", StringComparison.Ordinal))
            .ToList();

        var line = Assert.Single(lines);
        return CommandEnd().Split(line)[0].Trim();
    }

    private static List<string> FencedBlocks(string text) =>
        [.. FencedBlock().Matches(text).Select(m => m.Groups["body"].Value.Trim())];

    /// <summary>UNCONFIRMED with any emphasis or colon around it.</summary>
    [GeneratedRegex(@"[*_]+UNCONFIRMED[*_:]*|UNCONFIRMED[*_]+:?[*_]*")]
    private static partial Regex EmphasisedMarker();

    /// <summary>A list item that opens with UNCONFIRMED in any form but <c>**UNCONFIRMED:**</c>.</summary>
    [GeneratedRegex(@"^\s*[-*+] (?!\*\*UNCONFIRMED:\*\* )[*_]*UNCONFIRMED")]
    private static partial Regex ListItemStartingWithMarker();

    [GeneratedRegex(@"\s(?:[0-9]?>|\||&&|;)")]
    private static partial Regex CommandEnd();

    [GeneratedRegex(@"^```[a-z]*\n(?<body>.*?)\n```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedBlock();
}
