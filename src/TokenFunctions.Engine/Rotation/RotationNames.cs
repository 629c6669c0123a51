using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace TokenFunctions.Engine.Rotation;

/// <summary>
/// Names of the tokens rotation creates: <c>{secret} [tf:{instance}:{rotationId}]</c>. The rotation id makes a token
/// findable after a crash lost its secret (Dynatrace never shows a secret twice, so such a token can only be killed),
/// and the instance name keeps two deployments on one tenant from touching each other's tokens.
/// </summary>
public static partial class RotationNames
{
    public static string TokenName(string secretName, string instance, string rotationId) => $"{secretName} [tf:{instance}:{rotationId}]";

    /// <summary>What a platform-token search is narrowed with (the list API searches names); results are still parsed.</summary>
    public static string SearchTerm(string instance) => $"tf:{instance}:";

    public static bool IsValidInstance(string? instance) => instance is not null && InstancePattern().IsMatch(instance);

    public static bool TryParse(string? name, [NotNullWhen(true)] out TokenNameParts? parts)
    {
        parts = null;
        if (name is null)
        {
            return false;
        }

        var match = NamePattern().Match(name);
        if (!match.Success)
        {
            return false;
        }

        parts = new TokenNameParts(match.Groups["secret"].Value, match.Groups["instance"].Value, match.Groups["rotation"].Value);
        return true;
    }

    [GeneratedRegex(@"^(?<secret>[0-9A-Za-z-]{1,127}) \[tf:(?<instance>[a-z0-9-]{1,32}):(?<rotation>[0-9a-f]{32})\]$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[a-z0-9-]{1,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex InstancePattern();
}

public sealed record TokenNameParts(string SecretName, string Instance, string RotationId);
