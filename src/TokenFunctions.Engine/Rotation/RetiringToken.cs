using System.Text.Json.Serialization;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Rotation;

/// <summary>A replaced token on its way out: disabled after its overlap window, deleted after the grace period.</summary>
public sealed record RetiringToken
{
    public required TokenId TokenId { get; init; }

    /// <summary>The environment or account name.</summary>
    public required string Target { get; init; }

    /// <summary>The rotation that replaced it.</summary>
    public required string RotationId { get; init; }

    public required DateTimeOffset DisableAfter { get; init; }

    public required DateTimeOffset DeleteAfter { get; init; }

    public DateTimeOffset? DisabledAt { get; init; }

    [JsonIgnore]
    public TokenKind Kind => TokenId.Kind;
}
