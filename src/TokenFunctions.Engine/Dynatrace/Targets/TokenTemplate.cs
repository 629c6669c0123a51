namespace TokenFunctions.Engine.Dynatrace.Targets;

/// <summary>
/// What a new token is created (and verified) like: the old token's scopes and, for platform tokens, its resources, tags
/// and user. Built by the caller (rotation) from its own record, so the targets do not depend on it.
/// </summary>
public sealed record TokenTemplate
{
    public required IReadOnlyList<string> Scopes { get; init; }

    /// <summary>Platform tokens: the environments (<c>urn:dtenvironment:…</c>) the token can reach.</summary>
    public IReadOnlyList<string> Resources { get; init; } = [];

    /// <summary>Platform tokens' tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    public string? UserUuid { get; init; }

    public bool? PersonalAccessToken { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }
}
