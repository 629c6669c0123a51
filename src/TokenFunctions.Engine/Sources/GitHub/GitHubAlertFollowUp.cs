using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Sources.Response;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Sources.GitHub;

/// <summary>
/// Resolves a GitHub alert as revoked once the incident queue has disabled what the webhook handed off: the queued half of
/// <see cref="GitHubAlertEndpoint"/>'s inline resolution, with the same comment template and the same audit record when
/// GitHub refuses. Acts only on messages carrying <see cref="DisableMessage.GitHubAlert"/> and only with
/// <see cref="GitHubAlertOptions.ResolveAlerts"/>; a failed resolution is audited, never thrown.
/// </summary>
public sealed partial class GitHubAlertFollowUp(
    IGitHubAlertClient gitHub,
    SourceAudit audit,
    IOptions<GitHubAlertOptions> options,
    ILogger<GitHubAlertFollowUp> logger) : IIncidentFollowUp
{
    private const string DefaultSource = "queue";

    public async Task RunAsync(DisableMessage message, IReadOnlyList<TokenId> disabled, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(disabled);
        var settings = options.Value;
        if (message.DryRun || !settings.ResolveAlerts || message.GitHubAlert is null || disabled.Count == 0)
        {
            return;
        }

        if (GitHubAlertRef.From(message.GitHubAlert) is not { } alertRef)
        {
            return; // The validator refused such messages already.
        }

        var source = message.Source ?? DefaultSource;
        var deliveryId = DeliveryId(message.IncidentId, source);
        var comment = GitHubResolutionComment.Format(settings.ResolutionCommentTemplate, disabled.Select(id => id.Value), deliveryId, source);
        if (await gitHub.ResolveRevokedAsync(alertRef, comment, cancellationToken).ConfigureAwait(false))
        {
            LogResolved(logger, message.IncidentId, alertRef.ToString(), disabled.Count);
            return;
        }

        // The tokens are already dead; an open alert is only housekeeping, so it is recorded, not retried.
        LogResolveFailed(logger, message.IncidentId, alertRef.ToString());
        await audit.TryWriteAsync([audit.Record(source, deliveryId, "resolve-alert", "Failed", detail: alertRef.ToString())]).ConfigureAwait(false);
    }

    /// <summary>A hand-off's incident id is <c>{source}:{delivery id}</c> (see <see cref="LeakResponder"/>); anything else is used as is.</summary>
    internal static string DeliveryId(string incidentId, string source) =>
        incidentId.StartsWith(source + ":", StringComparison.Ordinal) && incidentId.Length > source.Length + 1
            ? incidentId[(source.Length + 1)..]
            : incidentId;

    [LoggerMessage(Level = LogLevel.Information, Message = "Incident {IncidentId}: GitHub alert {Alert} resolved as revoked after the queue disabled {Count} token(s)")]
    private static partial void LogResolved(ILogger logger, string incidentId, string alert, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Incident {IncidentId}: GitHub alert {Alert} could not be resolved; audited as resolve-alert/Failed")]
    private static partial void LogResolveFailed(ILogger logger, string incidentId, string alert);
}
