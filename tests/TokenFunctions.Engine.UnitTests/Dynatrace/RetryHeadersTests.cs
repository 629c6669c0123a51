using System.Net;
using System.Net.Http.Headers;
using TokenFunctions.Engine.Dynatrace.Http;

namespace TokenFunctions.Engine.UnitTests.Dynatrace;

public sealed class RetryHeadersTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Retry_After_in_seconds_is_the_delay()
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7));

        Assert.Equal(TimeSpan.FromSeconds(7), RetryHeaders.GetDelay(response, Now));
    }

    [Fact]
    public void Retry_After_as_an_HTTP_date_is_the_time_until_then()
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("Retry-After", Now.AddSeconds(12).ToString("r"));

        Assert.Equal(TimeSpan.FromSeconds(12), RetryHeaders.GetDelay(response, Now));
    }

    [Fact]
    public void Retry_After_in_the_past_means_now()
    {
        var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(Now.AddMinutes(-1));

        Assert.Equal(TimeSpan.Zero, RetryHeaders.GetDelay(response, Now));
    }

    [Fact]
    public void Retry_After_wins_over_X_RateLimit_Reset()
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(2));
        response.Headers.TryAddWithoutValidation("X-RateLimit-Reset", Now.AddSeconds(30).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(TimeSpan.FromSeconds(2), RetryHeaders.GetDelay(response, Now));
    }

    [Fact]
    public void No_header_means_no_server_delay()
    {
        Assert.Null(RetryHeaders.GetDelay(new HttpResponseMessage(HttpStatusCode.TooManyRequests), Now));
    }

    [Theory]
    [InlineData(1_795_428_005L, 5.0)] // epoch seconds
    [InlineData(1_795_428_005_500L, 5.5)] // epoch milliseconds
    [InlineData(1_795_428_005_250_000L, 5.25)] // epoch microseconds, as the Managed docs say
    [InlineData(1_795_428_006_000_000_000L, 6.0)] // epoch nanoseconds
    public void X_RateLimit_Reset_is_read_by_magnitude(long value, double expectedSeconds)
    {
        Assert.Equal(1_795_428_000L, Now.ToUnixTimeSeconds());

        var delay = RetryHeaders.FromRateLimitReset(value.ToString(System.Globalization.CultureInfo.InvariantCulture), Now);

        Assert.NotNull(delay);
        Assert.Equal(expectedSeconds, delay.Value.TotalSeconds, precision: 3);
    }

    [Theory]
    [InlineData("30", 30.0)]
    [InlineData("0", 0.0)]
    [InlineData("1.5", 1.5)]
    public void A_small_X_RateLimit_Reset_is_a_relative_number_of_seconds(string value, double expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), RetryHeaders.FromRateLimitReset(value, Now));
    }

    [Fact]
    public void An_X_RateLimit_Reset_in_the_past_means_now()
    {
        Assert.Equal(TimeSpan.Zero, RetryHeaders.FromRateLimitReset(Now.AddSeconds(-10).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), Now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("NaN")]
    public void A_garbled_X_RateLimit_Reset_is_ignored(string? value)
    {
        Assert.Null(RetryHeaders.FromRateLimitReset(value, Now));
    }
}
