using System.Text.Json.Serialization;

namespace TokenFunctions.Engine.Dynatrace.Wire;

/// <summary><c>PlatformTokenDto</c>; <c>status</c> is undocumented and may be absent.</summary>
internal sealed record PlatformTokenDto
{
    public string? TokenId { get; init; }

    public string? AccountUuid { get; init; }

    public string? Description { get; init; }

    public string? Name { get; init; }

    public IReadOnlyList<string>? Scope { get; init; }

    public IReadOnlyList<string>? Tags { get; init; }

    public IReadOnlyList<string>? Resource { get; init; }

    [JsonConverter(typeof(FlexibleDateTimeOffsetConverter))]
    public DateTimeOffset? ExpirationDate { get; init; }

    public string? UserUuid { get; init; }

    public string? Status { get; init; }

    public PlatformTokenMetadataDto? Metadata { get; init; }
}

/// <summary>The docs name the client <c>lastClientId</c>, the published OpenAPI <c>lastClientIp</c>: both are read.</summary>
internal sealed record PlatformTokenMetadataDto(
    [property: JsonConverter(typeof(FlexibleDateTimeOffsetConverter))] DateTimeOffset? LastUsedAt,
    string? LastClientId,
    string? LastClientIp);

/// <summary><c>PlatformTokenPageDto</c>.</summary>
internal sealed record PlatformTokenPageDto(int? PageSize, int? PageNumber, long? Total, IReadOnlyList<PlatformTokenDto>? Results);

/// <summary><c>GeneratePlatformTokenForm</c>.</summary>
internal sealed record PlatformTokenCreateBody(
    string Name,
    IReadOnlyList<string> Scope,
    IReadOnlyList<string> Resource,
    IReadOnlyList<string> Tags,
    [property: JsonConverter(typeof(FlexibleDateTimeOffsetConverter))] DateTimeOffset? ExpirationDate,
    string? UserUuid);

/// <summary><c>PlatformTokenSecret</c>: <see cref="Token"/> is the new secret.</summary>
internal sealed record PlatformTokenSecretDto(string? Name, string? TokenId, string? Token);

internal sealed record PlatformTokenStatusBody(string Status);
