using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Notifications;

/// <summary>One token of an incident as a notification shows it. Built from a <see cref="TokenOutcome"/>; never a secret.</summary>
public sealed record IncidentTokenLine
{
    public required TokenId TokenId { get; init; }

    public TokenKind Kind => TokenId.Kind;

    public required TokenOutcomeKind Outcome { get; init; }

    /// <summary>The environment or account that owns the token.</summary>
    public string? Environment { get; init => field = Redaction.Redact(value); }

    /// <summary>Dynatrace's owner: the user of a classic token, the user UUID of a platform token.</summary>
    public string? TokenOwner { get; init => field = Redaction.Redact(value); }

    /// <summary>Where the replacement secret is (e.g. a Key Vault secret URI), when a managed credential was rotated.</summary>
    public string? ReplacementLocation { get; init => field = Redaction.Redact(value); }

    /// <summary>The managed credential's <c>tf-notify</c> contact; it wins over the owner-to-contact mapping.</summary>
    public string? NotifyContact { get; init => field = Redaction.Redact(value); }

    public string? Detail { get; init => field = Redaction.Redact(value); }

    /// <summary>Why a disabled managed credential got no replacement (e.g. Phase 3: no classic creates).</summary>
    public string? ReplacementProblem { get; init => field = Redaction.Redact(value); }

    /// <summary>When and from where it was last used, and what the audit log shows since the leak (gathered after the kill).</summary>
    public string? Evidence { get; init => field = Redaction.Redact(value); }

    public DateTimeOffset? LastUsedAt { get; init; }

    public string? LastUsedFrom { get; init => field = Redaction.Redact(value); }

    public bool NeedsHuman => HumanAction is not null;

    /// <summary>What a person must still do: the outcome's action, or swapping in a replacement none could be made for.</summary>
    public string? HumanAction => HumanActions.For(Outcome)
        ?? (ReplacementProblem is null ? null : $"Disabled, but no replacement could be made ({ReplacementProblem}); its consumers are broken until a human acts.");

    public static IncidentTokenLine From(TokenOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return new IncidentTokenLine
        {
            TokenId = outcome.TokenId,
            Outcome = outcome.Outcome,
            Environment = outcome.Owner,
            TokenOwner = outcome.Facts?.Owner,
            ReplacementLocation = outcome.ReplacementLocation,
            NotifyContact = outcome.NotifyContact,
            Detail = outcome.Detail,
            ReplacementProblem = outcome.ReplacementProblem,
            Evidence = outcome.Evidence?.Summary(),
            LastUsedAt = outcome.Evidence?.LastUsedAt,
            LastUsedFrom = outcome.Evidence?.LastUsedFrom,
        };
    }
}
