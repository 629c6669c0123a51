namespace TokenFunctions.Engine.Sources.GitHub;

/// <summary>The <c>secret_scanning_alert</c> webhook and the GitHub REST calls it makes, bound from <c>Sources:GitHub</c>.</summary>
public sealed class GitHubAlertOptions
{
    public const string SectionName = "Sources:GitHub";

    public static readonly IReadOnlyList<string> DefaultActions = ["created", "reopened", "publicly_leaked", "validated"];

    public static readonly IReadOnlyList<string> DefaultSecretTypes = ["dynatrace_api_token", "dynatrace_internal_token"];

    /// <summary>REST API root: <c>https://api.github.com/</c>, or <c>https://HOST/api/v3/</c> for GitHub Enterprise Server.</summary>
    public Uri ApiBaseUrl { get; set; } = new("https://api.github.com/");

    /// <summary>Alert actions that trigger a disable. Empty means <see cref="DefaultActions"/>.</summary>
    public IList<string> Actions { get; set; } = [];

    /// <summary>
    /// <c>secret_type</c> values that are Dynatrace tokens: GitHub's patterns plus any custom pattern names.
    /// Empty means <see cref="DefaultSecretTypes"/>.
    /// </summary>
    public IList<string> SecretTypes { get; set; } = [];

    /// <summary>
    /// <c>validated</c> fires on every validity change; only a change to <c>active</c> is news worth acting on (GitHub has
    /// no validity check for Dynatrace tokens today, so in practice this only matters for custom patterns).
    /// </summary>
    public bool ValidatedRequiresActive { get; set; } = true;

    /// <summary>Close the alert as <c>revoked</c> once every token in it is disabled.</summary>
    public bool ResolveAlerts { get; set; } = true;

    /// <summary>Placeholders: <c>{tokenIds}</c>, <c>{deliveryId}</c>, <c>{source}</c>. Never contains a secret (redacted anyway).</summary>
    public string ResolutionCommentTemplate { get; set; } = "Dynatrace token {tokenIds} disabled by TokenFunctions (delivery {deliveryId}).";

    /// <summary>GitHub App id; with <see cref="AppInstallationId"/> and the <c>GitHub:AppPrivateKey</c> secret, used instead of <c>GitHub:Token</c>.</summary>
    public string? AppId { get; set; }

    public long? AppInstallationId { get; set; }

    public string UserAgent { get; set; } = "TokenFunctions";

    /// <summary>Per-attempt timeout of a GitHub REST call (the whole call is also bounded by the inline deadline).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(3);

    internal IReadOnlyList<string> EffectiveActions => Actions.Count > 0 ? [.. Actions] : DefaultActions;

    internal IReadOnlyList<string> EffectiveSecretTypes => SecretTypes.Count > 0 ? [.. SecretTypes] : DefaultSecretTypes;

    internal bool UsesApp => !string.IsNullOrWhiteSpace(AppId) && AppInstallationId is not null;
}
