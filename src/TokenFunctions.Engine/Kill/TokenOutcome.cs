using TokenFunctions.Engine.Dynatrace.Targets;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Kill;

/// <summary>The decision for one token, with where it lived and how long it took.</summary>
public sealed record TokenOutcome
{
    public required TokenId TokenId { get; init; }

    public TokenKind Kind => TokenId.Kind;

    public string? Fingerprint { get; init; }

    public required TokenOutcomeKind Outcome { get; init; }

    /// <summary>The environment or account that owns the token, when found.</summary>
    public string? Owner { get; init; }

    public TimeSpan Latency { get; init; }

    /// <summary>Human-readable reason, already free of secrets.</summary>
    public string? Detail { get; init; }

    /// <summary>What Dynatrace said of the token (owner, scopes, last use) for the blast-radius summary, when it was read.</summary>
    public TokenFacts? Facts { get; init; }

    /// <summary>What Dynatrace answered behind a <see cref="TokenOutcomeKind.Denied"/> or <see cref="TokenOutcomeKind.Failed"/> outcome.</summary>
    public OutcomeCause Cause { get; init; }

    /// <summary>Where the replacement secret is, when a managed credential was rotated after the leak.</summary>
    public string? ReplacementLocation { get; init; }

    /// <summary>Whom a leaked managed credential's <c>tf-notify</c> tag says to tell (a person, team or channel).</summary>
    public string? NotifyContact { get; init; }

    /// <summary>
    /// The token is disabled and may be a managed credential whose replacement is still to be made: the leak rotation was
    /// deferred (<see cref="KillRequest.DeferLeakRotation"/>) or postponed because Key Vault was unavailable. The
    /// caller hands it to the incident queue as a <c>rotate</c> message with <c>leaked</c> set.
    /// </summary>
    public bool LeakRotationPending { get; init; }

    /// <summary>
    /// Why a leaked managed credential, though disabled, got no replacement (e.g. its environment no longer creates classic
    /// tokens): its consumers are broken until a human acts. Already redacted.
    /// </summary>
    public string? ReplacementProblem { get; init => field = Redaction.Redact(value); }

    /// <summary>When and from where the token was last used, gathered after the disable (never before it).</summary>
    public UsageEvidence? Evidence { get; init; }

    /// <summary>What the outcome means for the work around it (<see cref="OutcomeClassifier"/>).</summary>
    public OutcomeClass Class => OutcomeClassifier.Classify(Outcome);

    public bool IsSuccess => Class == OutcomeClass.Succeeded;

    public bool IsRetryable => Class == OutcomeClass.Retry;

    /// <summary>Neither a success nor retryable: a person has something to do (<see cref="OutcomeRule.NeedsHuman"/>).</summary>
    public bool NeedsHuman => OutcomeClassifier.Rule(Outcome).NeedsHuman;
}
