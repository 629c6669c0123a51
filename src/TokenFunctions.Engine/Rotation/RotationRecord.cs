using System.Text.Json.Serialization;
using TokenFunctions.Engine.Dynatrace.Targets;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Rotation;

/// <summary>The write-ahead record of the rotation in flight for one credential. Holds token ids and versions, never a secret.</summary>
public sealed record RotationRecord
{
    public required string RotationId { get; init; }

    public required RotationStep Step { get; init; }

    public required RotationTrigger Trigger { get; init; }

    /// <summary>A leak rotation whose caller said the kill disabled the old token (<see cref="RotationRequest.OldTokenAlreadyDisabled"/>).</summary>
    public bool OldTokenAlreadyDisabled { get; init; }

    public required string CorrelationId { get; init; }

    public string? RequestedBy { get; init; }

    /// <summary>The environment or account name.</summary>
    public required string Target { get; init; }

    public required TokenId OldTokenId { get; init; }

    /// <summary>The old platform token's id at its account when that is not its <c>dt0s16</c> id (reference §10).</summary>
    public string? OldTokenServerId { get; init; }

    public required string OldFingerprint { get; init; }

    /// <summary>The Key Vault version holding the old token: restored if the new one fails verification.</summary>
    public string? OldVersion { get; init; }

    /// <summary>Copied from the old token (read from Dynatrace at the start).</summary>
    public required IReadOnlyList<string> Scopes { get; init; }

    /// <summary>Platform tokens: the environments (<c>urn:dtenvironment:…</c>) the old token could reach.</summary>
    public IReadOnlyList<string> Resources { get; init; } = [];

    public IReadOnlyList<string> PlatformTags { get; init; } = [];

    public string? UserUuid { get; init; }

    public bool? PersonalAccessToken { get; init; }

    /// <summary>The credential's overlap window, from its tags when the rotation started.</summary>
    public TimeSpan Overlap { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset NewExpiresAt { get; init; }

    public TokenId? NewTokenId { get; init; }

    /// <summary>The <c>tokenId</c> the platform-token create answered with, when it is not <see cref="NewTokenId"/>.</summary>
    public string? NewTokenServerId { get; init; }

    public string? NewVersion { get; init; }

    /// <summary>Key Vault id of the new version (<c>https://vault/secrets/name/version</c>).</summary>
    public string? NewSecretId { get; init; }

    public string? NewTokenOwner { get; init; }

    /// <summary>Creates attempted; above zero, a crash may have left a token whose secret is lost, so look before creating.</summary>
    public int CreateAttempts { get; init; }

    public int VerifyAttempts { get; init; }

    /// <summary>Why the rotation is rolling back or being abandoned (already redacted).</summary>
    public string? Reason { get; init; }

    [JsonIgnore]
    public TokenKind Kind => OldTokenId.Kind;

    /// <summary>No overlap after a leak or when the old token is dead anyway.</summary>
    [JsonIgnore]
    public bool OldTokenGetsOverlap => Trigger is RotationTrigger.Scheduled or RotationTrigger.Manual;

    /// <summary>What the replacement is created and verified like: the old token's scopes, resources, tags and user.</summary>
    public TokenTemplate Template() => new()
    {
        Scopes = Scopes,
        Resources = Resources,
        Tags = PlatformTags,
        UserUuid = UserUuid,
        PersonalAccessToken = PersonalAccessToken,
        ExpiresAt = NewExpiresAt,
    };
}
