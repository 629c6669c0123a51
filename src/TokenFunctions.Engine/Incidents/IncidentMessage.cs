using System.Text.Json.Serialization;

namespace TokenFunctions.Engine.Incidents;

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
}

/// <summary>Rotate these managed credentials.</summary>
public sealed record RotateMessage : IncidentMessage
{
    public required IReadOnlyList<string> TokenIds { get; init; }
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
/// Which tokens a kill-switch covers. At least one criterion; criteria are ANDed.
/// <see cref="Owner"/> and <see cref="Scope"/> select classic tokens (per environment or all);
/// <see cref="PlatformUserUuid"/> selects platform tokens of a user (per account or all).
/// </summary>
public sealed record KillSwitchSelector
{
    public string? Owner { get; init; }

    public string? Scope { get; init; }

    public string? Environment { get; init; }

    public string? Account { get; init; }

    public string? PlatformUserUuid { get; init; }
}
