using System.Globalization;
using System.Text;

namespace TokenFunctions.Engine.Incidents;

/// <summary>Lists for dead-letter descriptions, bounded so the description stays within what Service Bus keeps.</summary>
internal static class DescriptionText
{
    public static string JoinBounded(IEnumerable<string> items, int maxChars)
    {
        var list = items as IReadOnlyList<string> ?? [.. items];
        var sb = new StringBuilder();
        for (var i = 0; i < list.Count; i++)
        {
            var separator = i == 0 ? string.Empty : ", ";
            var rest = list.Count - i;
            var suffix = string.Create(CultureInfo.InvariantCulture, $" … and {rest:N0} more");
            if (sb.Length + separator.Length + list[i].Length > maxChars - suffix.Length)
            {
                return sb.Append(suffix).ToString();
            }

            sb.Append(separator).Append(list[i]);
        }

        return sb.ToString();
    }
}
