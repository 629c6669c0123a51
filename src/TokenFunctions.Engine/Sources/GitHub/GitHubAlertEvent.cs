using System.Text.Json.Serialization;

namespace TokenFunctions.Engine.Sources.GitHub;

/// <summary>The parts of a <c>secret_scanning_alert</c> webhook payload this app reads (the payload carries no secret).</summary>
public sealed class GitHubAlertEvent
{
    [JsonPropertyName("action")]
    public string? Action { get; set; }

    [JsonPropertyName("alert")]
    public GitHubAlertSummary? Alert { get; set; }

    [JsonPropertyName("repository")]
    public GitHubRepository? Repository { get; set; }
}

public sealed class GitHubAlertSummary
{
    [JsonPropertyName("number")]
    public long? Number { get; set; }

    [JsonPropertyName("secret_type")]
    public string? SecretType { get; set; }

    [JsonPropertyName("validity")]
    public string? Validity { get; set; }

    [JsonPropertyName("html_url")]
    public string? HtmlUrl { get; set; }

    [JsonPropertyName("created_at")]
    public DateTimeOffset? CreatedAt { get; set; }
}

public sealed class GitHubRepository
{
    [JsonPropertyName("full_name")]
    public string? FullName { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("owner")]
    public GitHubAccount? Owner { get; set; }
}

public sealed class GitHubAccount
{
    [JsonPropertyName("login")]
    public string? Login { get; set; }
}
