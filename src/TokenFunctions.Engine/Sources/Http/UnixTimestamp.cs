using System.Globalization;

namespace TokenFunctions.Engine.Sources.Http;

/// <summary>Replay window on a Unix-time header (seconds; values that only make sense as milliseconds are read as such).</summary>
public static class UnixTimestamp
{
    private const long MillisecondsThreshold = 100_000_000_000; // year 5138 in seconds, 1973 in milliseconds

    public static bool TryParse(string? header, out DateTimeOffset timestamp)
    {
        timestamp = default;
        var text = header?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > 16
            || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        try
        {
            timestamp = value >= MillisecondsThreshold
                ? DateTimeOffset.FromUnixTimeMilliseconds(value)
                : DateTimeOffset.FromUnixTimeSeconds(value);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    /// <summary>Within <paramref name="window"/> of now in either direction (clock skew cuts both ways).</summary>
    public static bool IsWithin(DateTimeOffset timestamp, DateTimeOffset now, TimeSpan window) =>
        (now - timestamp).Duration() <= window;
}
