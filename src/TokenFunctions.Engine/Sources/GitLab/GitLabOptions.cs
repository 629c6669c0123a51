namespace TokenFunctions.Engine.Sources.GitLab;

/// <summary>GitLab's token-revocation contract, bound from <c>Sources:GitLab</c>.</summary>
public sealed class GitLabOptions
{
    public const string SectionName = "Sources:GitLab";

    public static readonly IReadOnlyList<string> DefaultTokenTypes = ["dynatrace_api_token"];

    /// <summary>What <c>GET /v1/revocable_token_types</c> advertises; items of other types are ignored. Empty means <see cref="DefaultTokenTypes"/>.</summary>
    public IList<string> TokenTypes { get; set; } = [];

    /// <summary>Quota for this source (sustained rate and burst); beyond it the answer is 429 with Retry-After.</summary>
    public int PermitsPerMinute { get; set; } = 60;

    /// <summary>A token reported again within this window is not acted on again.</summary>
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromHours(24);

    public int MaxItems { get; set; } = 1000;

    internal IReadOnlyList<string> EffectiveTokenTypes => TokenTypes.Count > 0 ? [.. TokenTypes] : DefaultTokenTypes;
}
