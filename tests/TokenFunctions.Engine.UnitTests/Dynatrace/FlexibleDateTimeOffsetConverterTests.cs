using System.Text.Json;
using TokenFunctions.Engine.Dynatrace.Wire;

namespace TokenFunctions.Engine.UnitTests.Dynatrace;

/// <summary>v2 sends ISO strings; v1 <c>TokenMetadata</c> is documented as epoch-millisecond integers but shown as ISO.</summary>
public sealed class FlexibleDateTimeOffsetConverterTests
{
    private static readonly DateTimeOffset Expected = new(2021, 1, 25, 4, 57, 1, 123, TimeSpan.Zero);

    [Theory]
    [InlineData("\"2021-01-25T04:57:01.123Z\"")]
    [InlineData("\"2021-01-25T05:57:01.123+01:00\"")]
    [InlineData("1611550621123")]
    [InlineData("\"1611550621123\"")]
    public void Reads_ISO_strings_and_epoch_milliseconds(string json)
    {
        var dto = JsonSerializer.Deserialize($$"""{"id":"dt0c01.ST2EY72KQINMH574WMNVI7YN","expirationDate":{{json}}}""", DynatraceJsonContext.Default.ApiTokenDto)!;

        Assert.Equal(Expected, dto.ExpirationDate);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("\"\"")]
    public void Null_and_empty_mean_no_date(string json)
    {
        var dto = JsonSerializer.Deserialize($$"""{"lastUsedDate":{{json}}}""", DynatraceJsonContext.Default.ApiTokenDto)!;

        Assert.Null(dto.LastUsedDate);
    }

    [Fact]
    public void A_date_that_is_not_a_date_is_a_JSON_error()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"creationDate":"yesterday"}""", DynatraceJsonContext.Default.ApiTokenDto));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"creationDate":true}""", DynatraceJsonContext.Default.ApiTokenDto));
    }

    [Fact]
    public void Writes_the_Dynatrace_ISO_format_in_UTC()
    {
        var json = JsonSerializer.Serialize(new ApiTokenCreateBody("n", ["s"], new DateTimeOffset(2025, 6, 21, 10, 10, 30, 369, TimeSpan.FromHours(2)), null), DynatraceJsonContext.Default.ApiTokenCreateBody);

        Assert.Equal("""{"name":"n","scopes":["s"],"expirationDate":"2025-06-21T08:10:30.369Z"}""", json);
    }

    [Fact]
    public void Create_bodies_leave_out_unset_optional_fields()
    {
        Assert.Equal(
            """{"name":"n","scopes":["metrics.read"]}""",
            JsonSerializer.Serialize(new ApiTokenCreateBody("n", ["metrics.read"], null, null), DynatraceJsonContext.Default.ApiTokenCreateBody));
        Assert.Equal("""{"revoked":true}""", JsonSerializer.Serialize(new V1RevokedBody(true), DynatraceJsonContext.Default.V1RevokedBody));
        Assert.Equal("""{"enabled":false}""", JsonSerializer.Serialize(new ApiTokenEnabledBody(false), DynatraceJsonContext.Default.ApiTokenEnabledBody));
    }
}
