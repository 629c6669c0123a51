namespace TokenFunctions.DynatraceSandbox.Wire;

/// <summary><c>PlatformTokenDto</c>; <c>status</c> is undocumented but sent, as dtctl expects.</summary>
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
    string Status,
    PlatformTokenMetadataJson Metadata);

internal sealed record PlatformTokenMetadataJson(string? LastUsedAt, string? LastClientIp);

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
