namespace TokenFunctions.Engine.Sources.GitHub;

/// <summary>How a <c>PATCH</c> resolving an alert ended.</summary>
public enum GitHubResolveStatus
{
    /// <summary>2xx: the alert is resolved as revoked (resolving an already resolved alert again is harmless).</summary>
    Resolved = 0,

    /// <summary>Timeout, cancellation, network, 401, 429 or 5xx, or no credential yet: a later attempt may succeed.</summary>
    Failed,

    /// <summary>403, 404 or 422: GitHub refuses this alert (no permission, gone, not resolvable); retrying cannot help.</summary>
    Refused,
}
