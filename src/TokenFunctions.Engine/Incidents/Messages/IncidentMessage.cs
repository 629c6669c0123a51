using System.Text.Json.Serialization;

namespace TokenFunctions.Engine.Incidents.Messages;

/// <summary>
/// The Service Bus incident-queue contract, version 1. A JSON object with a <c>type</c> discriminator
/// (<c>disable</c>, <c>rotate</c>, <c>kill-switch</c>, <c>enable</c>) and the common fields below.
/// The webhooks hand unfinished work to the queue in this same shape.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(DisableMessage), "disable")]
[JsonDerivedType(typeof(RotateMessage), "rotate")]
[JsonDerivedType(typeof(KillSwitchMessage), "kill-switch")]
[JsonDerivedType(typeof(EnableMessage), "enable")]
public abstract record IncidentMessage
{
    public const int CurrentVersion = 1;

    /// <summary>Contract version; messages with a version this build does not know are dead-lettered.</summary>
    public int Version { get; init; } = CurrentVersion;

    /// <summary>Idempotency key: the same incident id and token are acted on once.</summary>
    public required string IncidentId { get; init; }

    public string? RequestedBy { get; init; }

    public string? Reason { get; init; }

    public bool DryRun { get; init; }

    /// <summary>The original source when this is a webhook hand-off (e.g. <c>github-alert</c>).</summary>
    public string? Source { get; init; }

    /// <summary>When the leak was first reported, for the alert-to-disabled latency.</summary>
    public DateTimeOffset? DetectedAt { get; init; }
}

/// <summary>Disable these tokens. Entries are token ids (<c>dt0c01.PUBLIC</c>) or full tokens; the hand-off sends ids only.</summary>
public sealed record DisableMessage : IncidentMessage
{
    public required IReadOnlyList<string> Tokens { get; init; }

    public string? Location { get; init; }

    /// <summary>Environment or account name when the producer knows the owner.</summary>
    public string? Environment { get; init; }

    /// <summary>
    /// The GitHub secret scanning alert these tokens came from (the GitHub webhook's hand-off sets it). Once every token
    /// is disabled, the alert is resolved as revoked; other producers leave it out.
    /// </summary>
    public GitHubAlertReference? GitHubAlert { get; init; }
}

/// <summary>A GitHub secret scanning alert: repository owner, repository name and alert number.</summary>
public sealed record GitHubAlertReference
{
    public const int MaxSegmentLength = 100;

    public required string Owner { get; init; }

    public required string Repository { get; init; }

    public required long Number { get; init; }

    /// <summary>An owner or repository name: 1–100 ASCII letters, digits, <c>-</c>, <c>_</c> or <c>.</c>, and not <c>.</c> or <c>..</c>.</summary>
    public static bool IsSegment(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= MaxSegmentLength && value is not "." and not ".."
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    public override string ToString() => $"{Owner}/{Repository}#{Number}";
}

/// <summary>Rotate these managed credentials.</summary>
public sealed record RotateMessage : IncidentMessage
{
    public required IReadOnlyList<string> TokenIds { get; init; }

    /// <summary>
    /// The tokens leaked and are disabled already: replace them without overlap (the leak rotation the kill hands
    /// over, retried until Key Vault answers). False: a manual rotation with the credential's overlap window. Left out of
    /// the body when false, so manual rotations keep the canonical body (and work id) they always had.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Leaked { get; init; }
}

/// <summary>Re-enable tokens disabled by mistake (false positive). Audited.</summary>
public sealed record EnableMessage : IncidentMessage
{
    public required IReadOnlyList<string> TokenIds { get; init; }

    public string? Environment { get; init; }
}

/// <summary>Disable every token matching a selector, across redeliveries if it takes long.</summary>
public sealed record KillSwitchMessage : IncidentMessage
{
    public required KillSwitchSelector Selector { get; init; }
}

/// <summary>
/// Which tokens a kill-switch covers. At least one criterion.
/// Classic tokens: <see cref="Owner"/> and <see cref="Scope"/> (ANDed), in <see cref="Environment"/> or every environment.
/// Platform tokens: those of <see cref="PlatformUserUuid"/>, in <see cref="Account"/> or every account.
/// When both families are named, both are disabled (a compromised person's classic and platform tokens in one incident).
/// </summary>
public sealed record KillSwitchSelector
{
    /// <summary>Classic tokens owned by this user (Dynatrace's <c>owner("…")</c>, case-sensitive).</summary>
    public string? Owner { get; init; }

    /// <summary>Classic tokens carrying this scope (Dynatrace's <c>scope("…")</c>).</summary>
    public string? Scope { get; init; }

    /// <summary>Limits classic tokens to this configured environment; alone it needs <see cref="AllTokens"/>.</summary>
    public string? Environment { get; init; }

    /// <summary>Limits platform tokens to this configured account; alone it needs <see cref="AllTokens"/>.</summary>
    public string? Account { get; init; }

    /// <summary>Platform tokens of this user (UUID).</summary>
    public string? PlatformUserUuid { get; init; }

    /// <summary>
    /// Confirms "every token in the named environment or account". Required when the selector names only an environment or
    /// account, so a template that renders an empty owner cannot silently widen a kill-switch to a whole environment.
    /// </summary>
    public bool AllTokens { get; init; }
}
