namespace TokenFunctions.Engine.Dynatrace;

/// <summary>Body of <c>POST /api/v2/apiTokens</c>. The created token is owned by the owner of the calling credential.</summary>
public sealed record ApiTokenCreateRequest(string Name, IReadOnlyList<string> Scopes, DateTimeOffset? ExpirationDate = null, bool? PersonalAccessToken = null);
