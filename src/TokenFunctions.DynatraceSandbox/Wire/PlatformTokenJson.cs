namespace TokenFunctions.DynatraceSandbox.Wire;

/// <summary><c>PlatformTokenDto</c>; <c>status</c> is undocumented and sent or not depending on the reading.</summary>
internal sealed record PlatformTokenJson(
    string TokenId,
    string AccountUuid,
    string? Description,
    string Name,
    IReadOnlyList<string> Scope,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> Resource,
    string? ExpirationDate,
    string UserUuid,
    string? Status,
    PlatformTokenMetadataJson Metadata);

/// <summary>The docs name the client <c>lastClientId</c>, the published OpenAPI <c>lastClientIp</c>; one of them is sent.</summary>
internal sealed record PlatformTokenMetadataJson(string? LastUsedAt, string? LastClientId, string? LastClientIp);

internal sealed record PlatformTokenPageJson(int PageSize, int PageNumber, long Total, IReadOnlyList<PlatformTokenJson> Results);

/// <summary><c>GeneratePlatformTokenForm</c>.</summary>
internal sealed record PlatformTokenCreateJson(
    string? Name,
    IReadOnlyList<string>? Scope,
    IReadOnlyList<string>? Resource,
    IReadOnlyList<string>? Tags,
    string? ExpirationDate,
    string? UserUuid);

/// <summary><c>PlatformTokenSecret</c>.</summary>
internal sealed record PlatformTokenSecretJson(string Name, string TokenId, string Token);

internal sealed record PlatformTokenStatusJson(string? Status);

internal sealed record PlatformTokenExpirationJson(string? ExpirationDate);
