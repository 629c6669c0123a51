namespace TokenFunctions.Engine.Notifications;

/// <summary>
/// The generic webhook body (<c>type</c> = <c>tokenfunctions.incident</c>, version 1): the whole incident as data,
/// for SOAR tools, paging bridges or anything else that speaks JSON. Never contains a secret.
/// </summary>
public sealed record GenericIncidentPayload
{
    public string Type { get; init; } = "tokenfunctions.incident";

    public int Version { get; init; } = 1;

    public required string IncidentId { get; init; }

    public required string Source { get; init; }

    public required bool DryRun { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public required string Title { get; init; }

    public required bool NeedsHuman { get; init; }

    /// <summary>Outcome name → number of tokens.</summary>
    public required IReadOnlyDictionary<string, int> Counts { get; init; }

    public required IReadOnlyList<string> Contacts { get; init; }

    public required IReadOnlyList<GenericTokenPayload> Tokens { get; init; }

    /// <summary>Tokens left out because the incident exceeded <see cref="GenericPayloadBuilder.MaxTokens"/>.</summary>
    public int Omitted { get; init; }

    public required string AuditQuery { get; init; }
}

public sealed record GenericTokenPayload
{
    public required string TokenId { get; init; }

    public required string Kind { get; init; }

    public required string Outcome { get; init; }

    public string? Environment { get; init; }

    public string? Owner { get; init; }

    public string? Contact { get; init; }

    public string? ReplacementLocation { get; init; }

    /// <summary>Why no replacement could be made, when a disabled managed credential got none.</summary>
    public string? ReplacementProblem { get; init; }

    public DateTimeOffset? LastUsedAt { get; init; }

    public string? LastUsedFrom { get; init; }

    /// <summary>Evidence of use after the leak, in words (last use, account audit entries).</summary>
    public string? Evidence { get; init; }

    public string? HumanAction { get; init; }

    public string? Detail { get; init; }
}
