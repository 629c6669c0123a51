using TokenFunctions.Engine.KeyVault;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Rotation.Jobs;

/// <summary>What one reconciliation run found and repaired.</summary>
public sealed record ReconciliationReport(
    string RunId,
    DateTimeOffset StartedAt,
    IReadOnlyList<RotationResult> Resumed,
    IReadOnlyList<AdoptionItem> Adoptions,
    IReadOnlyList<OrphanItem> Orphans,
    IReadOnlyList<CredentialProblem> Problems,
    IReadOnlyList<string> Errors);

public sealed record AdoptionItem(string SecretName, AdoptionOutcome Outcome, TokenId? TokenId = null, string? Detail = null);

public enum AdoptionOutcome
{
    /// <summary>tf-token-id and tf-fingerprint were written from the value.</summary>
    Adopted = 0,

    /// <summary>The value or Dynatrace contradicts the tags; the detail says what to fix.</summary>
    Rejected,

    /// <summary>Key Vault or Dynatrace was unavailable; the next run retries.</summary>
    Retry,
}

/// <summary>A token named by this deployment's rotations that no current secret holds.</summary>
public sealed record OrphanItem(string Target, TokenId TokenId, string SecretName, string RotationId, OrphanAction Action, string? Detail = null);

public enum OrphanAction
{
    /// <summary>No Key Vault version holds its secret: disabled and deleted.</summary>
    Killed = 0,

    /// <summary>Disabled; the delete failed and is retried next run.</summary>
    Disabled,

    /// <summary>An older Key Vault version holds it but no retirement was scheduled: put back on the schedule.</summary>
    Tracked,

    /// <summary>Could not act this run (Dynatrace or Key Vault unavailable, or the credential is busy).</summary>
    Failed,
}
