using System.Text.Json;
using System.Text.RegularExpressions;
using TokenFunctions.Repository.Tests.Infra;

namespace TokenFunctions.Repository.Tests.Docs;

/// <summary>
/// docs/configuration.md against what exists: every key it documents is in local.settings.sample.json or read by the
/// code (each segment a bound property or a configuration string in src/), and every sample key is documented.
/// </summary>
public sealed partial class ConfigurationReferenceTests
{
    private static readonly Lazy<SourceText> Source = new(SourceText.Read);

    [Fact]
    public void Every_key_in_the_sample_settings_is_documented()
    {
        var documented = DocumentedKeys().ToHashSet(StringComparer.Ordinal);

        var undocumented = SampleKeys().Where(key => !documented.Contains(key)).ToList();

        Assert.Empty(undocumented);
    }

    [Fact]
    public void Every_documented_key_is_in_the_sample_or_read_by_the_code()
    {
        var sample = SampleKeys().ToHashSet(StringComparer.Ordinal);
        var unknown = DocumentedKeys()
            .Where(key => !sample.Contains(key))
            .Select(key => (key, missing: key.Split(':').Where(IsName).Where(segment => !Source.Value.Reads(segment)).ToList()))
            .Where(entry => entry.missing.Count > 0)
            .Select(entry => $"{entry.key} (no property or configuration string '{string.Join("', '", entry.missing)}' in src/)");

        Assert.Empty(unknown);
    }

    [Fact]
    public void The_reference_covers_every_section_the_engine_binds()
    {
        var sections = DocumentedKeys().Select(key => key.Split(':')[0]).ToHashSet(StringComparer.Ordinal);

        foreach (var section in Source.Value.SectionNames)
        {
            Assert.Contains(section.Split(':')[0], sections);
        }

        Assert.True(DocumentedKeys().Count() > 100, "the reference tables were not found");
    }

    [Fact]
    public void A_misspelt_key_would_be_caught()
    {
        // The check above must be able to fail: a property that does not exist is not "read by the code".
        Assert.False(Source.Value.Reads("WebhookSecrett"));
        Assert.True(Source.Value.Reads("WebhookSecret"));
        Assert.True(Source.Value.Reads("MaxBodyBytes"));
        Assert.True(Source.Value.Reads("RotationSchedule"));
    }

    /// <summary>The backticked keys in the first cell of each table row of docs/configuration.md.</summary>
    private static IEnumerable<string> DocumentedKeys() =>
        MarkdownPage.Load("docs/configuration.md").Prose.Split('\n')
            .Where(line => line.StartsWith("| `", StringComparison.Ordinal))
            .Select(line => line.Split(" | ")[0])
            .SelectMany(cell => CodeSpan().Matches(cell).Select(m => m.Groups["code"].Value))
            .Where(code => KeyShape().IsMatch(code));

    /// <summary>The sample's Values, in the reference's notation: ':' for '__', N for a list index.</summary>
    private static IEnumerable<string> SampleKeys()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.Combine("local.settings.sample.json")));
        return [.. sample.RootElement.GetProperty("Values").EnumerateObject()
            .Select(property => string.Join(':', property.Name.Split("__").Select(segment => segment.All(char.IsAsciiDigit) ? "N" : segment)))];
    }

    /// <summary>A key segment that is a name, not a list index (N) or a placeholder (&lt;owner&gt;).</summary>
    private static bool IsName(string segment) => segment != "N" && !segment.StartsWith('<');

    [GeneratedRegex(@"`(?<code>[^`]+)`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(?::(?:[A-Za-z0-9_]+|<[a-z]+>))*$")]
    private static partial Regex KeyShape();
}
