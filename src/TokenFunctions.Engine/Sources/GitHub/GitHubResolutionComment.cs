namespace TokenFunctions.Engine.Sources.GitHub;

/// <summary>The resolution comment for an alert closed as revoked, inline by the webhook or later by the incident queue.</summary>
internal static class GitHubResolutionComment
{
    /// <summary>Fills <see cref="GitHubAlertOptions.ResolutionCommentTemplate"/>: <c>{tokenIds}</c>, <c>{deliveryId}</c>, <c>{source}</c>.</summary>
    public static string Format(string template, IEnumerable<string> tokenIds, string deliveryId, string source) =>
        template
            .Replace("{tokenIds}", string.Join(", ", tokenIds.Distinct(StringComparer.Ordinal)), StringComparison.Ordinal)
            .Replace("{deliveryId}", deliveryId, StringComparison.Ordinal)
            .Replace("{source}", source, StringComparison.Ordinal);
}
