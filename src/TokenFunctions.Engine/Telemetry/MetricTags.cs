namespace TokenFunctions.Engine.Telemetry;

/// <summary>
/// Guards metric tag values. A tag value becomes a time series in Azure Monitor and is kept for months, so it must be a
/// short, low-cardinality code (<c>github-alert</c>, <c>Disabled</c>, <c>status-503</c>) and can never be a token id, a
/// secret, a correlation id or free text. Anything else is replaced by <see cref="Other"/> rather than recorded.
/// </summary>
public static class MetricTags
{
    /// <summary>Replacement for a value that is not a low-cardinality code.</summary>
    public const string Other = "other";

    /// <summary>Replacement for a missing value.</summary>
    public const string Unknown = "unknown";

    public const int MaxLength = 48;

    /// <summary>More digits than this looks like an id (GUID, delivery id, token public part), not a code.</summary>
    public const int MaxDigits = 4;

    /// <summary>The notification channels (<c>channel</c> tag).</summary>
    public static readonly IReadOnlySet<string> Channels = new HashSet<string>(StringComparer.Ordinal) { "teams", "slack", "generic", "queue" };

    /// <summary>Returns <paramref name="value"/> when it is a safe tag value, otherwise <see cref="Other"/> or <see cref="Unknown"/>.</summary>
    public static string Sanitize(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return Unknown;
        }

        return IsSafe(value) ? value : Other;
    }

    /// <summary>
    /// A letter first, then letters, digits, <c>.</c>, <c>_</c> or <c>-</c>; at most <see cref="MaxLength"/> characters and
    /// <see cref="MaxDigits"/> digits; never anything that starts like a Dynatrace token (<c>dt0</c>).
    /// </summary>
    public static bool IsSafe(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || value.Length > MaxLength || !char.IsAsciiLetter(value[0]))
        {
            return false;
        }

        var digits = 0;
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c))
            {
                digits++;
            }
            else if (!char.IsAsciiLetter(c) && c is not ('.' or '_' or '-'))
            {
                return false;
            }
        }

        return digits <= MaxDigits && value.IndexOf("dt0", StringComparison.OrdinalIgnoreCase) < 0;
    }

    /// <summary>A notification channel name, or <see cref="Other"/> when it is not one of <see cref="Channels"/>.</summary>
    public static string Channel(string? value) => value is not null && Channels.Contains(value) ? value : Other;
}
