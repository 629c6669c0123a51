using System.Collections.Frozen;

namespace TokenFunctions.Engine.Kill;

/// <summary>
/// The one table of what each <see cref="TokenOutcomeKind"/> means to whoever reads it: the incident queue, the CLI's exit
/// code, the notifications and <see cref="TokenOutcome"/>'s own flags all read their column here, so a new kind is one row.
/// Settled outcomes (not found, protected, unsupported) are final: they are in the audit trail and the notifications, and
/// no retry would change them. Denied, own-credential, unaddressable (id form unknown) and a secret that does not verify
/// for an id that exists are final for automation but leave a live token behind, so the queue dead-letters them as
/// <c>NeedsHuman</c> and does not record them finished (resubmitting the message retries them). Failed and Interrupted
/// (a deadline or the host stopping cut the work) are transient: the work is continued later and retries them.
/// </summary>
public static class OutcomeClassifier
{
    /// <summary>Every kind, in declaration order.</summary>
    public static IReadOnlyList<OutcomeRule> Rules { get; } =
    [
        new(TokenOutcomeKind.Disabled, OutcomeClass.Succeeded, OutcomeExit.Ok, "disabled", null),
        new(TokenOutcomeKind.AlreadyDisabled, OutcomeClass.Succeeded, OutcomeExit.Ok, "already disabled", null),
        new(TokenOutcomeKind.WouldDisable, OutcomeClass.Succeeded, OutcomeExit.Ok, "would be disabled (dry run)", null),
        new(TokenOutcomeKind.NotFound, OutcomeClass.Settled, OutcomeExit.NotFound, "not found",
            "No configured environment or account knows this token: find where it lives and revoke it there."),
        new(TokenOutcomeKind.Unsupported, OutcomeClass.Settled, OutcomeExit.NeedsHuman, "no revoke API",
            "No API can revoke this kind of token (e.g. an OAuth client secret): revoke or rotate it in Dynatrace by hand."),
        new(TokenOutcomeKind.Protected, OutcomeClass.Settled, OutcomeExit.NeedsHuman, "protected",
            "Allow-listed, so not disabled automatically: decide, and disable it by hand if the leak is real."),
        new(TokenOutcomeKind.Denied, OutcomeClass.NeedsHuman, OutcomeExit.CredentialRefused, "access denied",
            "Dynatrace refused our management credential (401/403): fix its scopes, then disable this token by hand."),
        new(TokenOutcomeKind.CannotDisableOwnCredential, OutcomeClass.NeedsHuman, OutcomeExit.NeedsHuman, "our own credential",
            "This is our own management credential and no secondary is configured: rotate it by hand, then disable it."),
        new(TokenOutcomeKind.Failed, OutcomeClass.Retry, OutcomeExit.Failed, "failed, retrying", null),
        new(TokenOutcomeKind.Enabled, OutcomeClass.Succeeded, OutcomeExit.Ok, nameof(TokenOutcomeKind.Enabled), null),
        new(TokenOutcomeKind.WouldEnable, OutcomeClass.Succeeded, OutcomeExit.Ok, nameof(TokenOutcomeKind.WouldEnable), null),
        new(TokenOutcomeKind.Unaddressable, OutcomeClass.NeedsHuman, OutcomeExit.NeedsHuman, "cannot address (id form unknown)",
            "Dynatrace did not accept this platform token's dt0s16 id and no search mapped it to the id the account uses: disable it in Account Management > Platform tokens (myaccount.dynatrace.com/platformTokens)."),
        new(TokenOutcomeKind.SecretNotVerified, OutcomeClass.NeedsHuman, OutcomeExit.NeedsHuman, "secret does not verify",
            "The id exists but the reported secret does not verify (altered or forged?): not disabled. If the leak is real, kill it by id (tokenfunctions kill <id>)."),
        new(TokenOutcomeKind.Interrupted, OutcomeClass.Retry, OutcomeExit.Interrupted, "interrupted, retrying", null),
    ];

    private static readonly FrozenDictionary<TokenOutcomeKind, OutcomeRule> ByKind = Rules.ToFrozenDictionary(r => r.Kind);

    /// <summary>The row of <paramref name="kind"/>; a value outside the enum has none.</summary>
    public static OutcomeRule Rule(TokenOutcomeKind kind) =>
        ByKind.TryGetValue(kind, out var rule) ? rule : throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a token outcome kind.");

    public static OutcomeClass Classify(TokenOutcomeKind kind) => Rule(kind).Class;

    /// <summary>The instruction for a person, or null when nothing is left for a human.</summary>
    public static string? HumanAction(TokenOutcomeKind kind) => Rule(kind).HumanAction;
}

/// <summary>One row of <see cref="OutcomeClassifier"/>.</summary>
/// <param name="Class">What the incident queue does with it: finish it, dead-letter it for a human, or retry it.</param>
/// <param name="Exit">How the CLI's exit code reads it.</param>
/// <param name="Label">The notifications' words for it.</param>
/// <param name="HumanAction">What a person must still do, or null when nothing is left for a human.</param>
public sealed record OutcomeRule(TokenOutcomeKind Kind, OutcomeClass Class, OutcomeExit Exit, string Label, string? HumanAction)
{
    /// <summary>
    /// A person has something to do for this token: every settled or needs-human kind (a token no environment knows must
    /// still be found and revoked where it lives). What <see cref="TokenOutcome.NeedsHuman"/>, the notifications and the
    /// CLI's <c>needsHuman</c> say.
    /// </summary>
    public bool NeedsHuman => HumanAction is not null;
}
