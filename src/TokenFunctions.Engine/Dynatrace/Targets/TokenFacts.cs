using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Dynatrace.Targets;

/// <summary>What Dynatrace says about a classic or platform token, in one shape. Never the secret.</summary>
public sealed record TokenFacts
{
    /// <summary>
    /// The <c>dt0…</c> id, or for a platform token whose account names it otherwise and whose <c>dt0s16</c> id is not known,
    /// the server's id (<see cref="TokenId.IsServerForm"/>).
    /// </summary>
    public required TokenId Id { get; init; }

    /// <summary>A platform token's <c>tokenId</c> at its account when that is not <see cref="Id"/> (the server's own id form).</summary>
    public string? ServerId { get; init; }

    public string? Name { get; init; }

    /// <summary>Null when Dynatrace did not say (platform-token status is undocumented).</summary>
    public bool? Enabled { get; init; }

    /// <summary>Classic: the Dynatrace user who owns it. Platform: the user uuid.</summary>
    public string? Owner { get; init; }

    public IReadOnlyList<string> Scopes { get; init; } = [];

    public IReadOnlyList<string> Resources { get; init; } = [];

    public IReadOnlyList<string> Tags { get; init; } = [];

    public string? UserUuid { get; init; }

    public bool? PersonalAccessToken { get; init; }

    public DateTimeOffset? CreationDate { get; init; }

    public DateTimeOffset? ExpirationDate { get; init; }

    public DateTimeOffset? LastUsedDate { get; init; }

    /// <summary>The IP address of the last use: classic <c>lastUsedIpAddress</c>, platform <c>lastClientIp</c>.</summary>
    public string? LastUsedIpAddress { get; init; }

    /// <summary>Where the last use came from as Dynatrace names it: the IP address, or a platform token's client id when no IP is given.</summary>
    public string? LastUsedFrom { get; init; }

    /// <summary>The Dynatrace field <see cref="LastUsedFrom"/> was read from (<c>lastUsedIpAddress</c>, <c>lastClientIp</c>, <c>lastClientId</c>).</summary>
    public string? LastUsedFromField { get; init; }

    /// <summary>A platform token's <c>status</c> as the account gave it (undocumented; null when absent and for classic tokens).</summary>
    public string? Status { get; init; }

    public static TokenFacts From(ApiTokenInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return new()
        {
            Id = info.Id,
            Name = info.Name,
            Enabled = info.Enabled,
            Owner = info.Owner,
            Scopes = info.Scopes,
            PersonalAccessToken = info.PersonalAccessToken,
            CreationDate = info.CreationDate,
            ExpirationDate = info.ExpirationDate,
            LastUsedDate = info.LastUsedDate,
            LastUsedIpAddress = info.LastUsedIpAddress,
            LastUsedFrom = info.LastUsedIpAddress,
            LastUsedFromField = "lastUsedIpAddress",
        };
    }

    public static TokenFacts From(PlatformTokenInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return new()
        {
            Id = info.Id,
            ServerId = string.Equals(info.ServerId, info.Id.Value, StringComparison.Ordinal) || info.ServerId.Length == 0 ? null : info.ServerId,
            Name = info.Name,
            Enabled = info.IsActive,
            Owner = info.UserUuid,
            Scopes = info.Scopes,
            Resources = info.Resources,
            Tags = info.Tags,
            UserUuid = info.UserUuid,
            ExpirationDate = info.ExpirationDate,
            LastUsedDate = info.LastUsedAt,
            LastUsedIpAddress = info.LastClientIp,
            LastUsedFrom = info.LastClient,
            LastUsedFromField = info.LastClientIp is not null ? "lastClientIp" : info.LastClientId is not null ? "lastClientId" : null,
            Status = info.Status,
        };
    }

    /// <summary>What to address the token by: its server id when known, since a 404 there proves it gone.</summary>
    public TokenId Address => TokenAddress.Of(Id, ServerId);
}
