using System.Text.RegularExpressions;
using TokenFunctions.Engine.IntegrationTests.Infra;

namespace TokenFunctions.Engine.IntegrationTests.Docs;

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
    public void Dynatrace_facts_that_are_guesses_stay_marked()
    {
        var page = MarkdownPage.Load("docs/dynatrace.md");

        Assert.True(Regex.Count(page.Text, @"\*\*UNCONFIRMED") >= 5, "docs/dynatrace.md lost its UNCONFIRMED markers");
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

    [GeneratedRegex(@"\s(?:[0-9]?>|\||&&|;)")]
    private static partial Regex CommandEnd();

    [GeneratedRegex(@"^```[a-z]*\n(?<body>.*?)\n```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedBlock();
}
