using TokenFunctions.Engine.Kill;

namespace TokenFunctions.Engine.Incidents.Handlers;

/// <summary>The <see cref="OutcomeClass"/> of a <c>rotate</c> answer, so <see cref="TokenListRun"/> records it like any token's outcome.</summary>
internal static class RotationRequestStatuses
{
    /// <summary><see cref="RotationRequestStatus.Unavailable"/> has no class: it ends the whole message, not one token.</summary>
    public static OutcomeClass Classify(RotationRequestStatus status) => status switch
    {
        RotationRequestStatus.Rotated => OutcomeClass.Succeeded,
        RotationRequestStatus.NotManaged => OutcomeClass.Settled,
        RotationRequestStatus.Failed => OutcomeClass.Retry,
        RotationRequestStatus.NeedsHuman => OutcomeClass.NeedsHuman,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Ends the message; not one token's outcome."),
    };
}
