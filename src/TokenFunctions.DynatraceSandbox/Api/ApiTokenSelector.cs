using System.Text;

namespace TokenFunctions.DynatraceSandbox.Api;

/// <summary>
/// Parses <c>apiTokenSelector</c>: <c>owner("x")</c> (case-sensitive), <c>personalAccessToken(true|false)</c>,
/// <c>scope("a","b")</c> (OR within the list); criteria are comma-separated and ANDed. <c>~</c> escapes in quoted values.
/// </summary>
internal static class ApiTokenSelector
{
    // One piece on purpose (66 lines, over the 60-line rule): a hand parser of Dynatrace's selector grammar, one loop over
    // `criterion("arg", …)[, …]` whose branches read as the grammar (name, argument list, the three criteria, the comma).
    // Split, the cursor `i` and the error would thread through every piece and the grammar would no longer read top down.
    public static bool TryParse(string? text, out Func<SandboxApiToken, bool> predicate, out string? error)
    {
        predicate = static _ => true;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var filters = new List<Func<SandboxApiToken, bool>>();
        var i = 0;
        while (true)
        {
            SkipSpace(text, ref i);
            var open = text.IndexOf('(', i);
            if (open < 0)
            {
                error = $"Invalid selector criterion at position {i}.";
                return false;
            }

            var name = text[i..open].Trim();
            i = open + 1;
            if (!TryReadArguments(text, ref i, out var args))
            {
                error = $"Unterminated argument list of '{name}'.";
                return false;
            }

            switch (name)
            {
                case "owner" when args.Count == 1:
                    var owner = args[0];
                    filters.Add(t => string.Equals(t.Owner, owner, StringComparison.Ordinal));
                    break;
                case "personalAccessToken" when args.Count == 1 && bool.TryParse(args[0], out var pat):
                    filters.Add(t => t.PersonalAccessToken == pat);
                    break;
                case "scope" when args.Count >= 1:
                    var scopes = args.ToArray();
                    filters.Add(t => scopes.Any(s => t.Scopes.Contains(s, StringComparer.Ordinal)));
                    break;
                default:
                    error = $"Unknown or malformed selector criterion '{name}'.";
                    return false;
            }

            SkipSpace(text, ref i);
            if (i >= text.Length)
            {
                break;
            }

            if (text[i] != ',')
            {
                error = $"Expected ',' at position {i}.";
                return false;
            }

            i++;
        }

        var all = filters.ToArray();
        predicate = t => Array.TrueForAll(all, f => f(t));
        return true;
    }

    private static bool TryReadArguments(string text, ref int i, out List<string> args)
    {
        args = [];
        var current = new StringBuilder();
        var quoted = false;
        var inQuotes = false;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c == '~' && i + 1 < text.Length)
                {
                    current.Append(text[++i]);
                }
                else if (c == '"')
                {
                    inQuotes = false;
                }
                else
                {
                    current.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inQuotes = true;
                    quoted = true;
                    break;
                case ',':
                    args.Add(quoted ? current.ToString() : current.ToString().Trim());
                    current.Clear();
                    quoted = false;
                    break;
                case ')':
                    if (quoted || current.ToString().Trim().Length > 0)
                    {
                        args.Add(quoted ? current.ToString() : current.ToString().Trim());
                    }

                    i++;
                    return true;
                default:
                    if (!quoted)
                    {
                        current.Append(c);
                    }

                    break;
            }
        }

        return false;
    }

    private static void SkipSpace(string text, ref int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }
    }
}
