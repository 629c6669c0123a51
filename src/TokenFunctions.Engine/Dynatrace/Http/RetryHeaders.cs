using System.Globalization;
using System.Net.Http.Headers;

namespace TokenFunctions.Engine.Dynatrace.Http;

/// <summary>
/// When a 429/503 says to come back: <c>Retry-After</c> (seconds or HTTP date, RFC 9110) wins; else
/// <c>X-RateLimit-Reset</c>, an epoch timestamp whose unit Dynatrace's own clients disagree on (the Managed docs say
/// microseconds, the current Go client seconds), so its magnitude decides; small values are read as a delay in seconds.
/// </summary>
internal static class RetryHeaders
{
    public const string RateLimitReset = "X-RateLimit-Reset";

    // Epoch values for the years ~1973 to ~5138 in each unit: anything between is unambiguous.
    private const double SecondsUpperBound = 1e11;
    private const double MillisecondsUpperBound = 1e14;
    private const double MicrosecondsUpperBound = 1e17;

    // Below this a "timestamp" would be before 2001-09-09 in seconds: treat it as a relative number of seconds.
    private const double RelativeSecondsUpperBound = 1e9;

    public static TimeSpan? GetDelay(HttpResponseMessage response, DateTimeOffset now) =>
        GetDelay(response.Headers, now);

    public static TimeSpan? GetDelay(HttpResponseHeaders headers, DateTimeOffset now)
    {
        if (headers.RetryAfter is { } retryAfter && FromRetryAfter(retryAfter, now) is { } fromRetryAfter)
        {
            return fromRetryAfter;
        }

        return headers.TryGetValues(RateLimitReset, out var values) ? FromRateLimitReset(values.FirstOrDefault(), now) : null;
    }

    public static TimeSpan? FromRetryAfter(RetryConditionHeaderValue value, DateTimeOffset now)
    {
        if (value.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        return value.Date is { } date ? NonNegative(date - now) : null;
    }

    /// <summary>Reads <c>X-RateLimit-Reset</c> as epoch seconds, milliseconds or microseconds by magnitude.</summary>
    public static TimeSpan? FromRateLimitReset(string? value, DateTimeOffset now)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number < 0 || double.IsNaN(number) || double.IsInfinity(number))
        {
            return null;
        }

        if (number < RelativeSecondsUpperBound)
        {
            return TimeSpan.FromSeconds(number);
        }

        var epochSeconds = number switch
        {
            < SecondsUpperBound => number,
            < MillisecondsUpperBound => number / 1e3,
            < MicrosecondsUpperBound => number / 1e6,
            _ => number / 1e9,
        };
        return NonNegative(TimeSpan.FromSeconds(epochSeconds - now.ToUnixTimeMilliseconds() / 1e3));
    }

    private static TimeSpan NonNegative(TimeSpan value) => value < TimeSpan.Zero ? TimeSpan.Zero : value;
}
