using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Engine.Sources.Response;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Sources.GitHub;

/// <summary>
/// Resolves a GitHub alert as revoked once the incident queue has disabled what the webhook handed off (the rest of an
/// alert, or an alert whose tokens were all disabled inline but whose resolution the inline deadline cut): the queued half
/// of <see cref="GitHubAlertEndpoint"/>'s inline resolution, with the same comment template. Acts only on messages
/// carrying <see cref="DisableMessage.GitHubAlert"/> and only with <see cref="GitHubAlertOptions.ResolveAlerts"/>. A
/// transient failure asks for a retry, so the queue redelivers until GitHub answers (at least once; resolving twice is
/// harmless); a refusal (no permission, alert gone) is audited as <c>resolve-alert</c>/<c>Failed</c>, as inline.
/// </summary>
public sealed partial class GitHubAlertFollowUp(
    IGitHubAlertClient gitHub,
    SourceAudit audit,
    IOptions<GitHubAlertOptions> options,
    ILogger<GitHubAlertFollowUp> logger) : IIncidentFollowUp
{
    private const string DefaultSource = "queue";

    public async Task<FollowUpResult> RunAsync(DisableMessage message, IReadOnlyList<TokenId> disabled, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(disabled);
        var settings = options.Value;
        if (message.DryRun || !settings.ResolveAlerts || message.GitHubAlert is null || disabled.Count == 0)
        {
            return FollowUpResult.Done;
        }

        if (GitHubAlertRef.From(message.GitHubAlert) is not { } alertRef)
        {
            return FollowUpResult.Done; // The validator refused such messages already.
        }

        var source = message.Source ?? DefaultSource;
        var deliveryId = DeliveryId(message.IncidentId, source);
        var comment = GitHubResolutionComment.Format(settings.ResolutionCommentTemplate, disabled.Select(id => id.Value), deliveryId, source);
        switch (await gitHub.ResolveRevokedAsync(alertRef, comment, cancellationToken).ConfigureAwait(false))
        {
            case GitHubResolveStatus.Resolved:
                LogResolved(logger, message.IncidentId, alertRef.ToString(), disabled.Count);
                return FollowUpResult.Done;
            case GitHubResolveStatus.Refused:
                // The tokens are dead and GitHub will not take the resolution for this alert: a human closes it.
                LogResolveRefused(logger, message.IncidentId, alertRef.ToString());
                await audit.TryWriteAsync([audit.Record(source, deliveryId, "resolve-alert", "Failed", detail: alertRef.ToString())]).ConfigureAwait(false);
                return FollowUpResult.Done;
            default:
                return FollowUpResult.Retry($"GitHub alert {alertRef} could not be resolved yet (GitHub unavailable, timed out or rate-limited)");
        }
    }

    /// <summary>A hand-off's incident id is <c>{source}:{delivery id}</c> (see <see cref="LeakResponder"/>); anything else is used as is.</summary>
    internal static string DeliveryId(string incidentId, string source) =>
        incidentId.StartsWith(source + ":", StringComparison.Ordinal) && incidentId.Length > source.Length + 1
            ? incidentId[(source.Length + 1)..]
            : incidentId;

    [LoggerMessage(Level = LogLevel.Information, Message = "Incident {IncidentId}: GitHub alert {Alert} resolved as revoked after the queue disabled {Count} token(s)")]
    private static partial void LogResolved(ILogger logger, string incidentId, string alert, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Incident {IncidentId}: GitHub refused to resolve alert {Alert}; audited as resolve-alert/Failed")]
    private static partial void LogResolveRefused(ILogger logger, string incidentId, string alert);
}
