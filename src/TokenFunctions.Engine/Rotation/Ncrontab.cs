using System.Text.RegularExpressions;

namespace TokenFunctions.Engine.Rotation;

/// <summary>
/// Shape check for the timers' NCRONTAB expressions: six fields (second minute hour day month day-of-week), as the
/// Functions timer trigger expects. The host parses them for real; this only catches a five-field cron or a typo at start-up.
/// </summary>
public static partial class Ncrontab
{
    public static bool IsSixFieldExpression(string? expression)
    {
        if (string.IsNullOrWhiteSpace(expression))
        {
            return false;
        }

        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length == 6 && fields.All(f => FieldPattern().IsMatch(f));
    }

    [GeneratedRegex(@"^(\*|[0-9A-Za-z]+)(-[0-9A-Za-z]+)?(/[0-9]+)?(,(\*|[0-9A-Za-z]+)(-[0-9A-Za-z]+)?(/[0-9]+)?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex FieldPattern();
}
