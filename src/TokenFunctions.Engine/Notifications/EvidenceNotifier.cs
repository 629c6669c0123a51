using TokenFunctions.Engine.Kill;

namespace TokenFunctions.Engine.Notifications;

/// <summary>Adds a token's evidence of use to its incident's notification (see <see cref="IEvidenceNotifier"/>).</summary>
public sealed class EvidenceNotifier(IIncidentNotifier notifier) : IEvidenceNotifier
{
    public Task NotifyAsync(TokenOutcome withEvidence, string correlationId, string source, DateTimeOffset at, CancellationToken cancellationToken) =>
        notifier.NotifyAsync(new KillResult([withEvidence]), correlationId, source, dryRun: false, at, cancellationToken);
}
