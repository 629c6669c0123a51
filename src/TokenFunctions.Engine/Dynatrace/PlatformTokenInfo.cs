using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Dynatrace;

/// <summary><c>PlatformTokenDto</c> from the Account Management API. <see cref="Status"/> is undocumented and may be absent.</summary>
public sealed record PlatformTokenInfo
{
    /// <summary>
    /// The token's <c>dt0s16.PUBLIC</c> id when known (the server's id form, or learned from a search or a create answer),
    /// otherwise the server's own id as a <see cref="TokenId.IsServerForm"/> id.
    /// </summary>
    public required TokenId Id { get; init; }

    /// <summary>The <c>tokenId</c> exactly as the server spelled it: what its paths address the token by.</summary>
    public string ServerId { get; init; } = "";

    public string? Name { get; init; }

    public string? Description { get; init; }

    /// <summary><c>ACTIVE</c> or <c>INACTIVE</c> when Dynatrace reports it; null when it does not.</summary>
    public string? Status { get; init; }

    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>e.g. <c>urn:dtenvironment:abc12345</c>; empty means the whole account.</summary>
    public IReadOnlyList<string> Resources { get; init; } = [];

    public IReadOnlyList<string> Tags { get; init; } = [];

    public DateTimeOffset? ExpirationDate { get; init; }

    public string? UserUuid { get; init; }

    public DateTimeOffset? LastUsedAt { get; init; }

    /// <summary><c>metadata.lastClientId</c>, the docs' name.</summary>
    public string? LastClientId { get; init; }

    /// <summary><c>metadata.lastClientIp</c>, the published OpenAPI's name.</summary>
    public string? LastClientIp { get; init; }

    /// <summary>Where it was last used from, under whichever name the server sent it.</summary>
    public string? LastClient => LastClientIp ?? LastClientId;

    public bool? IsActive => Status is null ? null : string.Equals(Status, "ACTIVE", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// One list request. <see cref="Page"/> null asks for the server's first page without a page parameter; the base of
/// page numbers is undocumented, so later pages come from the answer's <c>pageNumber</c> (see <see cref="PlatformTokenPaging"/>).
/// </summary>
public sealed record PlatformTokenQuery(string? SearchTerm = null, string? Status = null, int? Page = null, int Size = 100);

/// <summary>One page; <see cref="PageNumber"/> and <see cref="Total"/> are null when Dynatrace did not send them (and no page was asked for).</summary>
public sealed record PlatformTokenPage(IReadOnlyList<PlatformTokenInfo> Tokens, int? PageNumber, int PageSize, long? Total);

/// <summary>Body of <c>POST …/platform-tokens</c>.</summary>
public sealed record PlatformTokenCreateRequest(
    string Name,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<string> Resources,
    DateTimeOffset? ExpirationDate,
    IReadOnlyList<string>? Tags = null,
    string? UserUuid = null);
