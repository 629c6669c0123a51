namespace TokenFunctions.Engine.Dynatrace;

/// <summary>
/// "For Phase 3 environments, classic API token creation is disabled; all new integrations must use platform tokens"
/// (docs, Aug 2026). The docs do not show the refusal itself (UNCONFIRMED: status and wording), so a 400 or 403 to
/// <c>POST /api/v2/apiTokens</c> is read as that state when its message says classic creation is disabled or points to
/// platform tokens. Anything else stays an ordinary refusal.
/// </summary>
public static class ClassicCreation
{
    public static bool IsSwitchedOff(string? message) =>
        message is not null
        && ((message.Contains("disabled", StringComparison.OrdinalIgnoreCase) && message.Contains("classic", StringComparison.OrdinalIgnoreCase))
            || message.Contains("platform token", StringComparison.OrdinalIgnoreCase));

    /// <summary>What to tell the operator of managed credential <paramref name="secretName"/> in <paramref name="environment"/>.</summary>
    public static string Advice(string secretName, string environment) =>
        $"classic API token creation is switched off in environment {environment} (Dynatrace \"Phase 3\"), so no replacement can be made: "
        + $"move credential '{secretName}' to a platform token (create one with the same scopes, store it in the secret with tf-kind platform and "
        + "tf-target set to its account) and point its consumers at it. The current classic token is left working; the scheduled rotation "
        + "does not try again until the credential changes (a manual rotate still does).";
}
