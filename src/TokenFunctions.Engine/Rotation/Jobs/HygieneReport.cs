using TokenFunctions.Engine.KeyVault;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Rotation.Jobs;

/// <summary>Token hygiene across every configured environment and account.</summary>
public sealed record HygieneReport(
    string RunId,
    DateTimeOffset StartedAt,
    IReadOnlyList<HygieneFinding> Findings,
    IReadOnlyList<CredentialProblem> Problems,
    IReadOnlyList<string> Errors)
{
    public IEnumerable<HygieneFinding> Of(HygieneIssue issue) => Findings.Where(f => f.Issue == issue);
}

public sealed record HygieneFinding
{
    public required string Target { get; init; }

    public required TokenId TokenId { get; init; }

    public required HygieneIssue Issue { get; init; }

    /// <summary>Token name, redacted.</summary>
    public string? Name { get; init; }

    public string? Owner { get; init; }

    public DateTimeOffset? CreationDate { get; init; }

    public DateTimeOffset? LastUsedDate { get; init; }

    /// <summary>Held by a managed credential (rotated by this app).</summary>
    public bool Managed { get; init; }

    public HygieneAction Action { get; init; }
}

public enum HygieneIssue
{
    /// <summary>No expiration date: valid until someone remembers it.</summary>
    NeverExpires = 0,

    /// <summary>Not used for <c>Rotation:Hygiene:UnusedDays</c> days (or never, and older than that).</summary>
    Unused,

    /// <summary>Disabled but still present: delete it once nobody needs to re-enable it.</summary>
    DisabledNotDeleted,
}

public enum HygieneAction
{
    None = 0,

    /// <summary>Auto-disabled (<c>Rotation:Hygiene:AutoDisableUnused</c>).</summary>
    Disabled,

    DisableFailed,
}
