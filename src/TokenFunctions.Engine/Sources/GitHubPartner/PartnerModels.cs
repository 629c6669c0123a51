using System.Text.Json.Serialization;

namespace TokenFunctions.Engine.Sources.GitHubPartner;

/// <summary>One match in the partner array. A class so that no generated <c>ToString</c> prints <see cref="Token"/>.</summary>
public sealed class PartnerMatch
{
    [JsonPropertyName("token")]
    public string? Token { get; set; }

    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("url")]
    public string? Url { get; set; }

    /// <summary>Optional (older partners predate it); compare case-insensitively.</summary>
    [JsonPropertyName("source")]
    public string? Source { get; set; }

    public override string ToString() => $"partner match ({Type}, {Source})";
}

/// <summary>Feedback for GitHub: the SHA-256 of the token, never <c>token_raw</c>.</summary>
public sealed record PartnerFeedbackLabel(
    [property: JsonPropertyName("token_hash")] string TokenHash,
    [property: JsonPropertyName("token_type")] string? TokenType,
    [property: JsonPropertyName("label")] string Label);

/// <summary><c>GET /meta/public_keys/secret_scanning</c>.</summary>
public sealed class PartnerPublicKeysDocument
{
    [JsonPropertyName("public_keys")]
    public List<PartnerPublicKeyEntry>? PublicKeys { get; set; }
}

public sealed class PartnerPublicKeyEntry
{
    [JsonPropertyName("key_identifier")]
    public string? KeyIdentifier { get; set; }

    [JsonPropertyName("key")]
    public string? Key { get; set; }

    /// <summary>False for a superseded key, whose signatures are refused; absent (older answers) counts as current.</summary>
    [JsonPropertyName("is_current")]
    public bool? IsCurrent { get; set; }
}
