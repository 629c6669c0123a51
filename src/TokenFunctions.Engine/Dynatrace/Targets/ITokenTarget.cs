using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Dynatrace.Targets;

/// <summary>One environment (classic tokens) or account (platform tokens), with the operations the kill, the kill-switch and rotation share.</summary>
public interface ITokenTarget
{
    /// <summary>The configured environment or account name.</summary>
    string Name { get; }

    TokenKind Kind { get; }

    /// <summary><c>environment:NAME</c> or <c>account:NAME</c>: unique among all targets (the kill-switch's saved cursors are keyed by it).</summary>
    string Key { get; }

    /// <summary>
    /// True when one request reads a token, by its id or by its secret (classic: GET by id, lookup by secret); false when
    /// reading it means a search (platform tokens: no GET by id is documented), so the kill lets its write be the search.
    /// </summary>
    bool ReadsDirectly { get; }

    /// <summary>What this account has shown of the readings its docs leave open (reference §10); <see cref="PlatformReadings.None"/> for an environment.</summary>
    PlatformReadings Readings { get; }

    Task<DynatraceResult<TokenFacts>> GetAsync(TokenId id, CancellationToken cancellationToken);

    /// <summary>
    /// The token <paramref name="secret"/> belongs to. Classic: Dynatrace's lookup by secret, so a 404 proves the secret is
    /// not live here (a cluster without the lookup answers 400, and the id is read instead). Platform: by the secret's id.
    /// </summary>
    Task<DynatraceResult<TokenFacts>> LookupAsync(TokenSecret secret, CancellationToken cancellationToken);

    /// <summary>One status write at <paramref name="id"/> (classic <c>enabled</c>, platform <c>ACTIVE</c>/<c>INACTIVE</c>), without a search on an inconclusive 404.</summary>
    Task<DynatraceResult<Done>> SetEnabledAsync(TokenId id, bool enabled, CancellationToken cancellationToken);

    /// <summary>A replacement with the old token's scopes (and, for platform tokens, resources, tags and user).</summary>
    Task<DynatraceResult<CreatedToken>> CreateAsync(string name, TokenTemplate template, CancellationToken cancellationToken);

    /// <summary>
    /// Classic: a lookup authenticated with the new token itself, so success proves it authenticates. Platform: the
    /// Account Management API lists it as ACTIVE with the expected scopes; no Dynatrace endpoint in this app's reach
    /// accepts a platform token as its own proof, so authentication itself is not proven (and Dynatrace allows up to five
    /// minutes for status changes to propagate).
    /// </summary>
    Task<DynatraceResult<TokenFacts>> VerifyAsync(TokenSecret secret, TokenTemplate template, CancellationToken cancellationToken);

    /// <summary>
    /// NotFound means gone. A platform token whose account did not accept its <c>dt0s16</c> id is looked up by search and
    /// addressed by the account's own id; <see cref="DynatraceStatus.Unaddressable"/> when none maps it.
    /// </summary>
    Task<DynatraceResult<Done>> DisableAsync(TokenId id, CancellationToken cancellationToken);

    /// <summary>As <see cref="DisableAsync"/>.</summary>
    Task<DynatraceResult<Done>> DeleteAsync(TokenId id, CancellationToken cancellationToken);

    /// <summary>
    /// Every token (all pages); <paramref name="searchTerm"/> narrows platform-token searches server-side (a server that
    /// ignores it lists everything, so callers filter). An incomplete listing still carries the tokens it saw.
    /// </summary>
    Task<TokenListing> ListAsync(string? searchTerm, CancellationToken cancellationToken);

    /// <summary>
    /// One page of the tokens <paramref name="selector"/> covers, at <paramref name="cursor"/>; one request. Classic pages
    /// hold <paramref name="pageSize"/> tokens (kept within 100..10 000) and the selector is Dynatrace's
    /// <c>apiTokenSelector</c>; platform pages hold 100 tokens, are paged as <c>PlatformTokenPaging</c> says, and
    /// are filtered by user here.
    /// </summary>
    Task<TokenIdPage> ListPageAsync(TokenSelector selector, TokenPageCursor cursor, int pageSize, CancellationToken cancellationToken);
}
