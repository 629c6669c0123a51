using TokenFunctions.Engine.KeyVault;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Rotation.Jobs;

/// <summary>What one scheduled-rotation run decided and did, per managed credential.</summary>
public sealed record ScheduledRotationReport(
    string RunId,
    DateTimeOffset StartedAt,
    IReadOnlyList<ScheduledRotationItem> Items,
    IReadOnlyList<CredentialProblem> Problems,
    string? Error = null)
{
    public int Count(RotationDecision decision) => Items.Count(i => i.Decision == decision);

    public int Rotated => Items.Count(i => i.Result?.Outcome == RotationOutcome.Rotated);

    public int Failed => Items.Count(i => i.Result is { Succeeded: false, Outcome: not (RotationOutcome.InProgress or RotationOutcome.Pending) });
}

public sealed record ScheduledRotationItem(string SecretName, TokenId? TokenId, RotationDecision Decision, RotationResult? Result = null, string? Detail = null);

/// <summary>Why the scheduled run did (or did not) rotate a credential.</summary>
public enum RotationDecision
{
    NotDue = 0,

    /// <summary>The current version is older than the credential's rotation period.</summary>
    Age,

    /// <summary>The version or the token expires within <c>Rotation:NearExpiryWindow</c>.</summary>
    NearExpiry,

    /// <summary>Dynatrace says the current token is disabled, deleted or expired.</summary>
    CurrentUnusable,

    /// <summary>A crash interrupted its rotation; this run resumed it.</summary>
    Interrupted,

    /// <summary>Another run is rotating it now.</summary>
    InProgress,

    /// <summary>Due, but <c>Rotation:MaxRotationsPerRun</c> was reached; the next run takes it.</summary>
    Deferred,

    /// <summary>
    /// A classic credential whose environment refused to create its replacement (Phase 3): not tried again until the
    /// credential changes; the detail says to move it to a platform token.
    /// </summary>
    CreationDisabled,
}
