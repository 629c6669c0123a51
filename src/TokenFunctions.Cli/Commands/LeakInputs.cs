using TokenFunctions.Cli.Errors;
using TokenFunctions.Cli.Hosting;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Cli.Commands;

/// <summary>
/// Turns what an operator pastes into leaks with the engine's recognition: whole tokens, token ids
/// (<c>dt0c01.PUBLIC</c>), or text with tokens inside it. Never echoes the input.
/// </summary>
internal static class LeakInputs
{
    public const string Source = "cli";

    /// <summary>One argument: a token, a token id, or text containing tokens; anything else is a usage error.</summary>
    public static IEnumerable<Leak> FromArgument(string argument, int position, LeakDefaults defaults)
    {
        var leaks = FromText(argument, "argument " + position, defaults).ToList();
        if (leaks.Count > 0)
        {
            return leaks;
        }

        // Tokens are variadic, so a mistyped option arrives here; the value itself is never echoed.
        throw CliException.Usage(argument.StartsWith('-')
            ? $"argument {position} is not an option of this command (see --help)."
            : $"argument {position} is neither a Dynatrace token nor a token id (dt0c01.PUBLIC).");
    }

    /// <summary>Every token and every whitespace-separated token id in <paramref name="text"/>.</summary>
    public static IEnumerable<Leak> FromText(string text, string location, LeakDefaults defaults)
    {
        foreach (var secret in TokenScanner.FindSecrets(text))
        {
            yield return defaults.Apply(Leak.FromSecret(secret, Source, defaults.IncidentId), location);
        }

        foreach (var word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (TokenId.TryParse(word.Trim('"', '\'', ',', ';'), out var id))
            {
                yield return defaults.Apply(Leak.FromId(id, Source, defaults.IncidentId), location);
            }
        }
    }
}

/// <summary>What every leak of one CLI run carries.</summary>
internal sealed record LeakDefaults(string IncidentId, string Reason, string? OwnerHint, DateTimeOffset Now)
{
    public Leak Apply(Leak leak, string location) => leak with
    {
        Reason = Reason,
        Location = location,
        OwnerHint = OwnerHint,
        DetectedAt = Now,
        RequestedBy = CliContext.RequestedBy,
    };

    public static string NewIncidentId(TimeProvider time) =>
        "cli-" + time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));
}
