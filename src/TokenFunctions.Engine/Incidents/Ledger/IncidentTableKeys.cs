using System.Globalization;
using System.Text;

namespace TokenFunctions.Engine.Incidents.Ledger;

/// <summary>
/// Table Storage keys from incident ids. Keys may not hold <c>/ \ # ?</c> or control characters, so those (and the
/// escape and separator characters) are percent-encoded; everything else stays readable for someone browsing the table.
/// </summary>
internal static class IncidentTableKeys
{
    public const char Separator = '|';

    public static string Encode(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '/' or '\\' or '#' or '?' or '%' or Separator || char.IsControl(c))
            {
                sb.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    public static string LedgerPartition(string incidentId, string action) => Encode(incidentId) + Separator + action;
}
