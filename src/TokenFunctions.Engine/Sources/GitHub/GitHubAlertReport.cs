using TokenFunctions.Engine.Sources.Pipeline;

namespace TokenFunctions.Engine.Sources.GitHub;

/// <summary>A <c>secret_scanning_alert</c> delivery worth acting on: which alert, and its context.</summary>
public sealed record GitHubAlertReport : WebhookReport
{
    public required GitHubAlertRef Alert { get; init; }
}
