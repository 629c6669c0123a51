using TokenFunctions.Cli.Commands;

namespace TokenFunctions.Cli.Tests.Unit;

public sealed class DurationParserTests
{
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("1h", 3600)]
    [InlineData("7d", 604800)]
    [InlineData("01:30:00", 5400)]
    public void Durations_parse(string text, int seconds)
    {
        Assert.True(DurationParser.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-1h")]
    [InlineData("3w")]
    public void Other_text_does_not(string text) => Assert.False(DurationParser.TryParse(text, out _));
}
