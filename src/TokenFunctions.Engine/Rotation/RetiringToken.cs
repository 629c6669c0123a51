using System.Text.Json.Serialization;
using TokenFunctions.Engine.Dynatrace.Targets;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Rotation;

/// <summary>A replaced token on its way out: disabled after its overlap window, deleted after the grace period.</summary>
public sealed record RetiringToken
{
    public required TokenId TokenId { get; init; }

    /// <summary>A platform token's id at its account when that is not <see cref="TokenId"/> (reference §10); null otherwise.</summary>
    public string? ServerId { get; init; }

    /// <summary>What the sweep writes to: the server id when known, else the token id.</summary>
    [JsonIgnore]
    public TokenId Address => TokenAddress.Of(TokenId, ServerId);

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
