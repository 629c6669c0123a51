using TokenFunctions.Engine.KillSwitch;
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

    public bool NeedsHuman => HumanActions.For(Outcome) is not null;

    public static IncidentTokenLine From(TokenOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return new IncidentTokenLine
        {
            TokenId = outcome.TokenId,
            Outcome = outcome.Outcome,
            Environment = outcome.Owner,
            TokenOwner = outcome.ClassicMetadata?.Owner ?? outcome.PlatformMetadata?.UserUuid,
            ReplacementLocation = outcome.ReplacementLocation,
            NotifyContact = outcome.NotifyContact,
            Detail = outcome.Detail,
        };
    }
}
