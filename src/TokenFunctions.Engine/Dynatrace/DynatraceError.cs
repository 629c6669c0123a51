namespace TokenFunctions.Engine.Dynatrace;

/// <summary>What Dynatrace said when a call did not succeed, from its <c>ErrorEnvelope</c> when it sent one.</summary>
public sealed record DynatraceError(int HttpStatus, string Message, IReadOnlyList<string>? ConstraintViolations = null)
{
    /// <summary>How long Dynatrace asked us to wait (<c>Retry-After</c> / <c>X-RateLimit-Reset</c>), when it said so.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>
    /// Set when the SSO refused the OAuth scopes asked for (<c>400 invalid_scope</c>): the scopes it named, or every scope
    /// asked for when it named none. Fixing the client's grants or <c>Dynatrace:Accounts:N:Scopes</c> is the only cure.
    /// </summary>
    public IReadOnlyList<string>? RejectedScopes { get; init; }

    /// <summary>
    /// Set when an environment refused to create a classic API token because classic creation is switched off there
    /// ("Phase 3", reference §1): permanent until the credential moves to a platform token. See <see cref="ClassicCreation"/>.
    /// </summary>
    public bool ClassicCreationDisabled { get; init; }

    public override string ToString() => HttpStatus == 0 ? Message : $"HTTP {HttpStatus}: {Message}";
}
