using System.Text.Json;

namespace TokenFunctions.DynatraceSandbox.Wire;

/// <summary><c>ApiTokenSecret</c>, the lookup body.</summary>
internal sealed record TokenSecretJson(string? Token);

/// <summary><c>ApiTokenCreate</c>: <c>expirationDate</c> may be epoch millis, ISO or relative (<c>now+14d</c>).</summary>
internal sealed record ApiTokenCreateJson(string? Name, IReadOnlyList<string>? Scopes, JsonElement? ExpirationDate, bool? PersonalAccessToken);

internal sealed record ApiTokenCreatedJson(string Id, string Token, string? ExpirationDate);

/// <summary><c>ApiTokenUpdate</c> (v2).</summary>
internal sealed record ApiTokenUpdateJson(bool? Enabled, string? Name, IReadOnlyList<string>? Scopes);

/// <summary><c>UpdateToken</c> (v1).</summary>
internal sealed record V1UpdateTokenJson(bool? Revoked, string? Name, IReadOnlyList<string>? Scopes);

/// <summary>What a <c>nextPageKey</c> stands for; the key is this, base64url-encoded, so pages survive retries.</summary>
internal sealed record ListCursorJson(string? Selector, string? Fields, string? Sort, int PageSize, int Offset);
