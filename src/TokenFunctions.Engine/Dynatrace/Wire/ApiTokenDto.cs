using System.Text.Json.Serialization;

namespace TokenFunctions.Engine.Dynatrace.Wire;

/// <summary><c>ApiToken</c> (v2). Everything nullable: the list returns only the fields asked for.</summary>
internal sealed record ApiTokenDto
{
    public string? Id { get; init; }

    public string? Name { get; init; }

    public bool? Enabled { get; init; }

    public string? Owner { get; init; }

    public bool? PersonalAccessToken { get; init; }

    [JsonConverter(typeof(FlexibleDateTimeOffsetConverter))]
    public DateTimeOffset? CreationDate { get; init; }

    [JsonConverter(typeof(FlexibleDateTimeOffsetConverter))]
    public DateTimeOffset? ExpirationDate { get; init; }

    [JsonConverter(typeof(FlexibleDateTimeOffsetConverter))]
    public DateTimeOffset? LastUsedDate { get; init; }

    public string? LastUsedIpAddress { get; init; }

    [JsonConverter(typeof(FlexibleDateTimeOffsetConverter))]
    public DateTimeOffset? ModifiedDate { get; init; }

    public IReadOnlyList<string>? Scopes { get; init; }
}
