using System.Text.Json.Serialization;

namespace TokenFunctions.Engine.Sources.GitGuardian;

/// <summary>The parts of a GitGuardian custom-webhook payload read here. GitGuardian never sends the secret.</summary>
public sealed class GitGuardianEvent
{
    [JsonPropertyName("source")]
    public string? Source { get; set; }

    [JsonPropertyName("action")]
    public string? Action { get; set; }

    [JsonPropertyName("incident")]
    public GitGuardianIncident? Incident { get; set; }

    [JsonPropertyName("occurrence")]
    public GitGuardianOccurrence? Occurrence { get; set; }
}

public sealed class GitGuardianIncident
{
    [JsonPropertyName("id")]
    public long? Id { get; set; }

    [JsonPropertyName("date")]
    public DateTimeOffset? Date { get; set; }

    [JsonPropertyName("detector")]
    public GitGuardianDetector? Detector { get; set; }

    [JsonPropertyName("secret_hash")]
    public string? SecretHash { get; set; }

    [JsonPropertyName("hmsl_hash")]
    public string? HmslHash { get; set; }

    [JsonPropertyName("validity")]
    public string? Validity { get; set; }

    [JsonPropertyName("gitguardian_url")]
    public string? GitGuardianUrl { get; set; }
}

public sealed class GitGuardianDetector
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("display_name")]
    public string? DisplayName { get; set; }
}

public sealed class GitGuardianOccurrence
{
    [JsonPropertyName("id")]
    public long? Id { get; set; }

    [JsonPropertyName("url")]
    public string? Url { get; set; }
}
