namespace TokenFunctions.Engine.Kill;

/// <summary>
/// Where evidence of use goes once it is audited: the incident's notification. The kill owns this port, and
/// Notifications implements it, so the kill never depends on Notifications (which reads the kill's outcomes).
/// </summary>
public interface IEvidenceNotifier
{
    Task NotifyAsync(TokenOutcome withEvidence, string correlationId, string source, DateTimeOffset at, CancellationToken cancellationToken);
}
