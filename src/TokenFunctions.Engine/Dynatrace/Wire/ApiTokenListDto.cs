namespace TokenFunctions.Engine.Dynatrace.Wire;

/// <summary><c>ApiTokenList</c>.</summary>
internal sealed record ApiTokenListDto(IReadOnlyList<ApiTokenDto>? ApiTokens, string? NextPageKey, int? PageSize, long? TotalCount);
