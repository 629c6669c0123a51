using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Rotation;

/// <summary>Rotates managed credentials, one at a time per credential, resumably.</summary>
public interface IRotationService
{
    /// <summary>Rotate one credential (after finishing any rotation of it that a crash interrupted).</summary>
    Task<RotationResult> RotateAsync(RotationRequest request, CancellationToken cancellationToken);

    /// <summary>Finish an interrupted rotation of the credential; null when none is in flight.</summary>
    Task<RotationResult?> ResumeAsync(string secretName, string correlationId, string source, CancellationToken cancellationToken);

    /// <summary>Disable replaced tokens whose overlap ended and delete those past the grace period.</summary>
    Task<RetirementResult> RetireDueAsync(string secretName, string correlationId, string source, CancellationToken cancellationToken);

    /// <summary>
    /// A replaced token leaked during its overlap window and the kill disabled it: end the window now (recorded as
    /// disabled, not disabled again; deleted after the grace period). False when it is not retiring here.
    /// </summary>
    Task<bool> ExpediteRetirementAsync(string secretName, TokenId tokenId, string correlationId, string source, CancellationToken cancellationToken);

    /// <summary>
    /// Put a replaced token that Key Vault still holds (an older version) but the state row does not track back on the
    /// retirement schedule, e.g. after the state table was lost. False when the credential is busy; the next run retries.
    /// </summary>
    Task<bool> TrackRetiringAsync(string secretName, RetiringToken token, string correlationId, string source, CancellationToken cancellationToken);
}

/// <summary>What one retirement pass did for one credential.</summary>
public sealed record RetirementResult(string SecretName, int Disabled, int Deleted, int Failed, bool Busy = false)
{
    public static RetirementResult BusyFor(string secretName) => new(secretName, 0, 0, 0, Busy: true);
}
