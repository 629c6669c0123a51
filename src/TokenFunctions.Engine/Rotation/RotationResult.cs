using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Rotation;

/// <summary>The typed answer of one rotation request. <see cref="Detail"/> is already redacted.</summary>
public sealed record RotationResult(string SecretName, RotationOutcome Outcome)
{
    public string? RotationId { get; init; }

    public TokenId? OldTokenId { get; init; }

    public TokenId? NewTokenId { get; init; }

    /// <summary>Key Vault id of the version that holds the replacement (versionless when the version is not known yet).</summary>
    public string? SecretId { get; init; }

    public string? Detail { get; init; }

    public bool Succeeded => Outcome is RotationOutcome.Rotated or RotationOutcome.AlreadyRotated;
}
