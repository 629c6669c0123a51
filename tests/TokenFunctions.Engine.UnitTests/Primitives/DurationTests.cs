using TokenFunctions.Engine.Primitives;

namespace TokenFunctions.Engine.UnitTests.Primitives;

public sealed class DurationTests
{
    // Input grammar (CLI `audit --since`): was the CLI's DurationParserTests.
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("1h", 3600)]
    [InlineData("7d", 604800)]
    [InlineData("01:30:00", 5400)]
    [InlineData("1.5h", 5400)]
    [InlineData("90S", 90)]
    [InlineData("7D", 604800)]
    public void Input_durations_parse(string text, int seconds)
    {
        Assert.True(Duration.TryParseInput(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-1h")]
    [InlineData("3w")]
    [InlineData("0h")]
    [InlineData("00:00:00")]
    public void Other_input_does_not(string text) => Assert.False(Duration.TryParseInput(text, out _));

    // Tag grammar (persisted Key Vault tags): was in ManagedCredentialTagReaderTests.
    [Theory]
    [InlineData("90d", 90 * 24 * 60)]
    [InlineData("36h", 36 * 60)]
    [InlineData("0d", 0)]
    [InlineData("99999m", 99999)]
    public void Tag_durations_have_one_spelling(string text, int minutes)
    {
        Assert.True(Duration.TryParseTag(text, out var duration));
        Assert.Equal(TimeSpan.FromMinutes(minutes), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("d")]
    [InlineData("1.5d")]
    [InlineData("1D")]
    [InlineData("100000m")]
    [InlineData("1w")]
    [InlineData(" 1d")]
    [InlineData("90s")]
    [InlineData("07d")]
    [InlineData("01:30:00")]
    public void Other_tag_spellings_are_rejected(string text) => Assert.False(Duration.TryParseTag(text, out _));

    [Theory]
    [InlineData(90 * 24 * 60, "90d")]
    [InlineData(36 * 60, "36h")]
    [InlineData(90, "90m")]
    [InlineData(0, "0d")]
    public void Tags_are_written_in_the_largest_exact_unit(int minutes, string expected)
    {
        Assert.Equal(expected, Duration.FormatTag(TimeSpan.FromMinutes(minutes)));
        Assert.True(Duration.TryParseTag(expected, out var back));
        Assert.Equal(TimeSpan.FromMinutes(minutes), back);
    }

    [Fact]
    public void Sub_minute_parts_are_dropped_from_a_tag() =>
        Assert.Equal("1m", Duration.FormatTag(TimeSpan.FromSeconds(90)));
}
