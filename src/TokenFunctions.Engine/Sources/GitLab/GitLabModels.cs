using System.Text.Json.Serialization;

namespace TokenFunctions.Engine.Sources.GitLab;

/// <summary>One item of <c>POST /v1/revoke_tokens</c>. A class so that no generated <c>ToString</c> prints <see cref="Token"/>.</summary>
public sealed class GitLabRevokeItem
{
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("token")]
    public string? Token { get; set; }

    [JsonPropertyName("location")]
    public string? Location { get; set; }

    public override string ToString() => $"gitlab item ({Type})";
}

/// <summary><c>{"types": [...]}</c>.</summary>
public sealed record GitLabTokenTypes([property: JsonPropertyName("types")] IReadOnlyList<string> Types);
