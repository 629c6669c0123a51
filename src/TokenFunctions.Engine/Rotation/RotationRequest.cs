using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Rotation;

/// <summary>Rotate the credential held in <see cref="SecretName"/>.</summary>
public sealed record RotationRequest
{
    public required string SecretName { get; init; }

    public required RotationTrigger Trigger { get; init; }

    /// <summary>Ties the audit records together: incident id, alert id, or the timer run id.</summary>
    public required string CorrelationId { get; init; }

    /// <summary>Audit <c>Source</c>: <c>rotation-timer</c>, <c>leak</c>, <c>queue</c>, …</summary>
    public string Source { get; init; } = "rotation";

    public string? RequestedBy { get; init; }

    /// <summary>
    /// Rotate only if this is still the current token. Two triggers racing for the same credential then produce one
    /// rotation: the second finds a different current token and answers <see cref="RotationOutcome.AlreadyRotated"/>.
    /// </summary>
    public TokenId? ExpectedTokenId { get; init; }

    /// <summary>
    /// With <see cref="RotationTrigger.Leak"/>: the caller says the kill has disabled the old token already, so the
    /// rotation records it disabled instead of disabling it again. Left false, a leak rotation disables the old token itself
    /// as soon as its replacement is stored (never later: a leaked token gets no overlap). Ignored for other triggers.
    /// </summary>
    public bool OldTokenAlreadyDisabled { get; init; }
}
