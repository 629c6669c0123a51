namespace TokenFunctions.Engine.Dynatrace;

/// <summary>How an account's Account Management API names platform tokens in <c>tokenId</c> and paths (reference §10).</summary>
public enum PlatformIdForm
{
    /// <summary>Not seen yet: no list item or create answer has shown it.</summary>
    Unknown = 0,

    /// <summary><c>dt0s16.PUBLIC</c>, as the docs' examples: a 404 on such a path means the token is not there.</summary>
    Prefixed,

    /// <summary>
    /// An id of the server's own (a UUID in dtctl's fixtures): a 404 on a <c>dt0s16</c> path proves nothing, and the token is
    /// found by <c>searchTerm</c> and addressed by the <c>tokenId</c> the list returns.
    /// </summary>
    ServerAssigned,
}
