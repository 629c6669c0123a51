using System.Globalization;

namespace TokenFunctions.Engine.Secrets;

/// <summary>
/// Durations in tags: a whole number and one unit, <c>90d</c>, <c>36h</c> or <c>30m</c>. One spelling only, so a tag that
/// looks plausible but means something else (<c>3 months</c>, <c>P90D</c>, <c>90</c>) is rejected rather than guessed at.
/// </summary>
public static class TagDuration
{
    private const int MaxNumber = 99_999;

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrEmpty(text) || text.Length < 2 || text.Length > 6)
        {
            return false;
        }

        var digits = text.AsSpan(0, text.Length - 1);
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        if (digits.Length > 1 && digits[0] == '0')
        {
            return false;
        }

        var number = int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        if (number > MaxNumber)
        {
            return false;
        }

        switch (text[^1])
        {
            case 'd':
                duration = TimeSpan.FromDays(number);
                return true;
            case 'h':
                duration = TimeSpan.FromHours(number);
                return true;
            case 'm':
                duration = TimeSpan.FromMinutes(number);
                return true;
            default:
                return false;
        }
    }

    /// <summary>The largest unit that expresses <paramref name="duration"/> exactly (sub-minute parts are dropped).</summary>
    public static string Format(TimeSpan duration)
    {
        var minutes = (long)duration.TotalMinutes;
        if (minutes % (24 * 60) == 0)
        {
            return (minutes / (24 * 60)).ToString(CultureInfo.InvariantCulture) + "d";
        }

        return minutes % 60 == 0
            ? (minutes / 60).ToString(CultureInfo.InvariantCulture) + "h"
            : minutes.ToString(CultureInfo.InvariantCulture) + "m";
    }
}
