using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Dynatrace.Targets;

/// <summary>
/// Platform tokens of one account, through the Account Management API. A token is addressed by the id the account uses
/// for it: a write that the account answers with an inconclusive 404 (its ids take another form, reference §10) is
/// followed by one search by <c>searchTerm</c> and the same write at the <c>tokenId</c> found; no extra request otherwise.
/// </summary>
public sealed class AccountTarget : ITokenTarget
{
    private const int PageSize = 100;
    private const int MaxPages = 1000;
    private readonly IAccountTokenClient _client;

    public AccountTarget(IAccountTokenClient client) => _client = client;

    public string Name => _client.Account.Name;

    public TokenKind Kind => TokenKind.PlatformToken;

    public string Key => "account:" + Name;

    public bool ReadsDirectly => false;

    public PlatformReadings Readings => _client.Readings;

    public async Task<DynatraceResult<TokenFacts>> GetAsync(TokenId id, CancellationToken cancellationToken)
    {
        var result = await _client.FindAsync(id, cancellationToken).ConfigureAwait(false);
        return result.IsOk ? DynatraceResult<TokenFacts>.Ok(TokenFacts.From(result.Value!)) : result.As<TokenFacts>();
    }

    /// <summary>A platform token's secret proves nothing the account can check: looked up by its id.</summary>
    public Task<DynatraceResult<TokenFacts>> LookupAsync(TokenSecret secret, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return GetAsync(secret.Id, cancellationToken);
    }

    public Task<DynatraceResult<CreatedToken>> CreateAsync(string name, TokenTemplate template, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(template);
        var request = new PlatformTokenCreateRequest(name, template.Scopes, template.Resources, template.ExpiresAt, template.Tags, template.UserUuid);
        return _client.CreateAsync(request, cancellationToken);
    }

    public async Task<DynatraceResult<TokenFacts>> VerifyAsync(TokenSecret secret, TokenTemplate template, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(template);
        var found = await GetAsync(secret.Id, cancellationToken).ConfigureAwait(false);
        if (!found.IsOk)
        {
            return found;
        }

        var facts = found.Value!;
        if (facts.Enabled == false)
        {
            return DynatraceResult<TokenFacts>.Fail(DynatraceStatus.BadRequest, new DynatraceError(0, "the new platform token is listed as INACTIVE"));
        }

        if (!facts.Scopes.ToHashSet(StringComparer.Ordinal).SetEquals(template.Scopes))
        {
            return DynatraceResult<TokenFacts>.Fail(DynatraceStatus.BadRequest, new DynatraceError(0, "the new platform token does not carry the old token's scopes"));
        }

        return found;
    }

    public Task<DynatraceResult<Done>> SetEnabledAsync(TokenId id, bool enabled, CancellationToken cancellationToken) =>
        _client.SetActiveAsync(id, enabled, cancellationToken);

    public Task<DynatraceResult<Done>> DisableAsync(TokenId id, CancellationToken cancellationToken) =>
        AddressedAsync(id, (a, ct) => _client.SetActiveAsync(a, false, ct), cancellationToken);

    public Task<DynatraceResult<Done>> DeleteAsync(TokenId id, CancellationToken cancellationToken) =>
        AddressedAsync(id, _client.DeleteAsync, cancellationToken);

    public async Task<TokenListing> ListAsync(string? searchTerm, CancellationToken cancellationToken)
    {
        var all = new List<TokenFacts>();
        var walked = await PlatformTokenPaging.WalkAsync(
            query => _client.ListAsync(query, cancellationToken),
            new PlatformTokenQuery(searchTerm, Size: PageSize),
            tokens =>
            {
                all.AddRange(tokens.Select(TokenFacts.From));
                return false;
            },
            MaxPages).ConfigureAwait(false);
        return walked.IsOk ? new TokenListing(all) : TokenListing.Failed(all, walked);
    }

    /// <summary>
    /// Reads one page and keeps the user's tokens: <c>searchTerm</c> is documented to match token id, name, creator or
    /// scope, not the user UUID, and a kill-switch must not depend on an undocumented match. <paramref name="pageSize"/>
    /// is the classic page size; platform pages keep theirs.
    /// </summary>
    public async Task<TokenIdPage> ListPageAsync(TokenSelector selector, TokenPageCursor cursor, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selector);
        ArgumentNullException.ThrowIfNull(cursor);
        var query = new PlatformTokenQuery(Page: cursor.PlatformPage, Size: PageSize);
        var result = await _client.ListAsync(query, cancellationToken).ConfigureAwait(false);
        if (!result.IsOk || result.Value is null)
        {
            return TokenIdPage.Failed(result);
        }

        var page = result.Value;
        var step = PlatformTokenPaging.Next(page, query.Page, cursor.Listed, query.Size);
        if (step.Inconsistent)
        {
            return TokenIdPage.Failed(DynatraceStatus.Transient, new DynatraceError(0,
                $"Dynatrace reports {page.Total} platform token(s) but its pages up to {page.PageNumber ?? query.Page} came back empty."));
        }

        Guid? user = selector.PlatformUserUuid is null ? null : Guid.ParseExact(selector.PlatformUserUuid, "D");
        var tokens = page.Tokens
            .Where(t => user is null || (Guid.TryParse(t.UserUuid, out var owner) && owner == user))
            .Select(t => t.Id)
            .ToList();
        return new TokenIdPage(tokens, page.Tokens.Count, null, step.Next, step.IsLast);
    }

    /// <summary>The write at the id; after an inconclusive 404, one search (which teaches the client the account's id) and the write again.</summary>
    private async Task<DynatraceResult<Done>> AddressedAsync(TokenId id, Func<TokenId, CancellationToken, Task<DynatraceResult<Done>>> write, CancellationToken cancellationToken)
    {
        var result = await write(id, cancellationToken).ConfigureAwait(false);
        if (result.Status != DynatraceStatus.Unaddressable)
        {
            return result;
        }

        var found = await _client.FindAsync(id, cancellationToken).ConfigureAwait(false);
        return found.IsOk ? await write(id, cancellationToken).ConfigureAwait(false) : found.As<Done>();
    }
}
