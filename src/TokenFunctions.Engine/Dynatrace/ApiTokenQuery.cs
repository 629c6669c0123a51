namespace TokenFunctions.Engine.Dynatrace;

/// <summary>
/// A page request for <c>GET /api/v2/apiTokens</c>. When <see cref="NextPageKey"/> is set Dynatrace requires every other
/// parameter to be omitted, and the client does so.
/// </summary>
public sealed record ApiTokenQuery
{
    /// <summary>e.g. <c>owner("alice@example.com"),personalAccessToken(false)</c>.</summary>
    public string? ApiTokenSelector { get; init; }

    /// <summary>e.g. <c>+scopes,+expirationDate,+lastUsedDate,+lastUsedIpAddress</c>.</summary>
    public string? Fields { get; init; } = "+scopes,+expirationDate,+lastUsedDate,+lastUsedIpAddress,+personalAccessToken,+modifiedDate";

    /// <summary>100 to 10,000; Dynatrace's default is 200.</summary>
    public int? PageSize { get; init; }

    public string? NextPageKey { get; init; }
}

public sealed record ApiTokenPage(IReadOnlyList<ApiTokenInfo> Tokens, string? NextPageKey, long? TotalCount);
