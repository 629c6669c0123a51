using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Dynatrace;

/// <summary>Metadata of a classic API token (<c>ApiToken</c> in v2, <c>TokenMetadata</c> in v1). Never the secret.</summary>
public sealed record ApiTokenInfo
{
    public required TokenId Id { get; init; }

    public string? Name { get; init; }

    public bool Enabled { get; init; }

    public string? Owner { get; init; }

    public bool? PersonalAccessToken { get; init; }

    public DateTimeOffset? CreationDate { get; init; }

    public DateTimeOffset? ExpirationDate { get; init; }

    public DateTimeOffset? LastUsedDate { get; init; }

    public string? LastUsedIpAddress { get; init; }

    public DateTimeOffset? ModifiedDate { get; init; }

    public IReadOnlyList<string> Scopes { get; init; } = [];
}
