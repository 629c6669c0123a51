using System.Diagnostics;
using System.Globalization;

namespace TokenFunctions.Engine.Primitives;

/// <summary>
/// Durations as people type them and as tags persist them: one unit table, two grammars. Input (<c>audit --since</c>) is
/// forgiving: <c>90s</c>, <c>1.5h</c>, any case, or a .NET time span (<c>01:30:00</c>). Tags are strict, because they are
/// persisted and read back by every rotation: a whole number and one unit, <c>90d</c>, <c>36h</c> or <c>30m</c>, so a tag
/// that looks plausible but means something else (<c>3 months</c>, <c>P90D</c>, <c>90</c>) is rejected rather than guessed at.
/// </summary>
public static class Duration
{
    private const int MaxTagNumber = 99_999;

    // Largest first, so FormatTag picks the largest unit that fits; seconds are too fine for a tag.
    private static readonly Unit[] Units =
    [
        new('d', TimeSpan.FromDays, InTags: true),
        new('h', TimeSpan.FromHours, InTags: true),
        new('m', TimeSpan.FromMinutes, InTags: true),
        new('s', TimeSpan.FromSeconds, InTags: false),
    ];

    /// <summary><c>90s</c>, <c>30m</c>, <c>1.5h</c>, <c>7D</c>, or a .NET time span (<c>01:30:00</c>); positive only.</summary>
    public static bool TryParseInput(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var symbol = text[^1];
        if (char.IsAsciiLetter(symbol) && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount > 0)
        {
            var unit = Find(char.ToLowerInvariant(symbol), tagsOnly: false);
            duration = unit is null ? TimeSpan.Zero : unit.Of(amount);
            return duration > TimeSpan.Zero;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration > TimeSpan.Zero;
    }

    /// <summary>A whole number (no leading zero, at most 99 999) and a lower-case <c>d</c>, <c>h</c> or <c>m</c>.</summary>
    public static bool TryParseTag(string? text, out TimeSpan duration)
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
        if (number > MaxTagNumber || Find(text[^1], tagsOnly: true) is not { } unit)
        {
            return false;
        }

        duration = unit.Of(number);
        return true;
    }

    /// <summary>The largest tag unit that expresses <paramref name="duration"/> exactly (sub-minute parts are dropped).</summary>
    public static string FormatTag(TimeSpan duration)
    {
        var minutes = (long)duration.TotalMinutes;
        foreach (var unit in Units.Where(u => u.InTags))
        {
            var minutesPerUnit = (long)unit.Of(1).TotalMinutes;
            if (minutes % minutesPerUnit == 0)
            {
                return (minutes / minutesPerUnit).ToString(CultureInfo.InvariantCulture) + unit.Symbol;
            }
        }

        throw new UnreachableException("The minute divides every minute count.");
    }

    private static Unit? Find(char symbol, bool tagsOnly) =>
        Array.Find(Units, u => u.Symbol == symbol && (u.InTags || !tagsOnly));

    private sealed record Unit(char Symbol, Func<double, TimeSpan> Of, bool InTags);
}
