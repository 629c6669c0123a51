using System.Text.Json.Serialization;

namespace TokenFunctions.Engine.Sources.Generic;

/// <summary>
/// Body of the generic webhook. <see cref="Tokens"/> holds full tokens, token ids (<c>dt0c01.PUBLIC</c>) or text with
/// tokens inside it (a scanner's raw finding). <see cref="Id"/>, when sent, makes the report idempotent.
/// </summary>
public sealed class GenericLeakReport
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("tokens")]
    public List<string?>? Tokens { get; set; }

    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    [JsonPropertyName("location")]
    public string? Location { get; set; }

    /// <summary>Environment or account name, when the scanner knows it.</summary>
    [JsonPropertyName("environment")]
    public string? Environment { get; set; }

    [JsonPropertyName("detectedAt")]
    public DateTimeOffset? DetectedAt { get; set; }

    [JsonPropertyName("scanner")]
    public string? Scanner { get; set; }

    public override string ToString() => $"generic report {Id} ({Tokens?.Count ?? 0} entries)";
}
