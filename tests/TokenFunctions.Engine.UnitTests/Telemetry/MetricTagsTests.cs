using TokenFunctions.Engine.Telemetry;

namespace TokenFunctions.Engine.UnitTests.Telemetry;

public sealed class MetricTagsTests
{
    [Theory]
    [InlineData("github-alert")]
    [InlineData("Disabled")]
    [InlineData("CannotDisableOwnCredential")]
    [InlineData("status-503")]
    [InlineData("rotation.create")]
    [InlineData("signature_mismatch")]
    public void Codes_are_safe(string value)
    {
        Assert.True(MetricTags.IsSafe(value));
        Assert.Equal(value, MetricTags.Sanitize(value));
    }

    [Theory]
    [InlineData("dt0c01.ABCDEFGH")]
    [InlineData("xdt0s16")]
    [InlineData("12345")]
    [InlineData("a12345")]
    [InlineData("-leading-dash")]
    [InlineData("café")]
    [InlineData("a/b")]
    [InlineData("a b")]
    public void Ids_and_text_are_not(string value)
    {
        Assert.False(MetricTags.IsSafe(value));
        Assert.Equal(MetricTags.Other, MetricTags.Sanitize(value));
    }

    [Fact]
    public void Length_is_bounded()
    {
        Assert.True(MetricTags.IsSafe(new string('a', MetricTags.MaxLength)));
        Assert.False(MetricTags.IsSafe(new string('a', MetricTags.MaxLength + 1)));
    }

    [Theory]
    [InlineData("teams", "teams")]
    [InlineData("slack", "slack")]
    [InlineData("generic", "generic")]
    [InlineData("queue", "queue")]
    [InlineData("Teams", "other")]
    [InlineData(null, "other")]
    public void Channels_come_from_a_closed_set(string? value, string expected) => Assert.Equal(expected, MetricTags.Channel(value));
}
