using System.Text.Json.Serialization;

namespace TokenFunctions.Engine.Sources.GitHub;

/// <summary>
/// <c>GET /repos/{owner}/{repo}/secret-scanning/alerts/{number}</c>, the fields read. A class, not a record, so no
/// generated <c>ToString</c> can ever print <see cref="Secret"/>.
/// </summary>
public sealed class GitHubAlertDetails
{
    [JsonPropertyName("number")]
    public long? Number { get; set; }

    [JsonPropertyName("secret_type")]
    public string? SecretType { get; set; }

    [JsonPropertyName("secret")]
    public string? Secret { get; set; }

    public override string ToString() => $"alert {Number} ({SecretType})";
}

/// <summary><c>PATCH</c> body that closes an alert.</summary>
public sealed record GitHubAlertResolution(
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("resolution")] string Resolution,
    [property: JsonPropertyName("resolution_comment")] string? ResolutionComment);

/// <summary><c>POST /app/installations/{id}/access_tokens</c> answer.</summary>
public sealed class GitHubInstallationToken
{
    [JsonPropertyName("token")]
    public string? Token { get; set; }

    [JsonPropertyName("expires_at")]
    public DateTimeOffset? ExpiresAt { get; set; }

    public override string ToString() => $"installation token (expires {ExpiresAt:O})";
}
