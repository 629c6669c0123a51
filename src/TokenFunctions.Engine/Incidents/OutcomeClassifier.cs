using TokenFunctions.Engine.KillSwitch;

namespace TokenFunctions.Engine.Incidents;

/// <summary>
/// Settled outcomes (not found, protected, unsupported) are final: they are in the audit trail and the notifications,
/// and no retry would change them. Denied, own-credential, unaddressable (id form unknown) and a secret that does not
/// verify for an id that exists are final for automation but leave a live token behind,
/// so they dead-letter as <c>NeedsHuman</c> and are not recorded as finished (resubmitting the message retries them).
/// Failed and Interrupted (the host stopping cut the work) are transient: the work is continued later and retries them.
/// </summary>
internal static class OutcomeClassifier
{
    public static OutcomeClass Classify(TokenOutcomeKind kind) => kind switch
    {
        TokenOutcomeKind.Failed or TokenOutcomeKind.Interrupted => OutcomeClass.Retry,
        TokenOutcomeKind.Denied or TokenOutcomeKind.CannotDisableOwnCredential or TokenOutcomeKind.Unaddressable or TokenOutcomeKind.SecretNotVerified => OutcomeClass.NeedsHuman,
        TokenOutcomeKind.NotFound or TokenOutcomeKind.Unsupported or TokenOutcomeKind.Protected => OutcomeClass.Settled,
        _ => OutcomeClass.Succeeded,
    };
}
