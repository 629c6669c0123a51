using System.Text.Json.Serialization;

namespace TokenFunctions.Engine.Dynatrace.Wire;

/// <summary><c>ApiTokenSecret</c>: the lookup body. Holds a secret: serialise straight into the request, never log.</summary>
internal sealed record TokenSecretBody(string Token);

/// <summary><c>ApiTokenUpdate</c> with only <c>enabled</c>: the other fields would replace name and scopes.</summary>
internal sealed record ApiTokenEnabledBody(bool Enabled);

/// <summary>v1 <c>UpdateToken</c> with only <c>revoked</c>, exactly as the v1 PUT page documents it.</summary>
internal sealed record V1RevokedBody(bool Revoked);

/// <summary><c>ApiTokenCreate</c>.</summary>
internal sealed record ApiTokenCreateBody(
    string Name,
    IReadOnlyList<string> Scopes,
    [property: JsonConverter(typeof(FlexibleDateTimeOffsetConverter))] DateTimeOffset? ExpirationDate,
    bool? PersonalAccessToken);

/// <summary><c>ApiTokenCreated</c>: <see cref="Token"/> is the new secret, returned only here.</summary>
internal sealed record ApiTokenCreatedDto(
    string? Id,
    string? Token,
    [property: JsonConverter(typeof(FlexibleDateTimeOffsetConverter))] DateTimeOffset? ExpirationDate);
