using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Dynatrace.Targets;

/// <summary>Classic API tokens of one environment, through the Environment API v2.</summary>
public sealed class EnvironmentTarget : ITokenTarget
{
    private const int PageSize = 1000;
    private const int MinPageSize = 100;
    private const int MaxPageSize = 10_000;
    private readonly IEnvironmentTokenClient _client;

    public EnvironmentTarget(IEnvironmentTokenClient client) => _client = client;

    public string Name => _client.Environment.Name;

    public TokenKind Kind => TokenKind.ClassicApiToken;

    public string Key => "environment:" + Name;

    public bool ReadsDirectly => true;

    public PlatformReadings Readings => PlatformReadings.None;

    public async Task<DynatraceResult<TokenFacts>> GetAsync(TokenId id, CancellationToken cancellationToken) =>
        Map(await _client.GetAsync(id, cancellationToken).ConfigureAwait(false));

    /// <summary>The lookup by secret (any scope suffices); a cluster without that endpoint answers 400, and the id still identifies the token.</summary>
    public async Task<DynatraceResult<TokenFacts>> LookupAsync(TokenSecret secret, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var found = await _client.LookupAsync(secret, cancellationToken).ConfigureAwait(false);
        return found.Status == DynatraceStatus.BadRequest ? await GetAsync(secret.Id, cancellationToken).ConfigureAwait(false) : Map(found);
    }

    public Task<DynatraceResult<CreatedToken>> CreateAsync(string name, TokenTemplate template, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(template);
        return _client.CreateAsync(new ApiTokenCreateRequest(name, template.Scopes, template.ExpiresAt, template.PersonalAccessToken), cancellationToken);
    }

    public async Task<DynatraceResult<TokenFacts>> VerifyAsync(TokenSecret secret, TokenTemplate template, CancellationToken cancellationToken)
    {
        var result = Map(await _client.VerifyWorksAsync(secret, cancellationToken).ConfigureAwait(false));
        if (result.IsOk && result.Value!.Id != secret.Id)
        {
            return DynatraceResult<TokenFacts>.Fail(DynatraceStatus.BadRequest, new DynatraceError(0, $"lookup with the new token answered for {result.Value.Id}, not {secret.Id}"));
        }

        return result;
    }

    public Task<DynatraceResult<Done>> SetEnabledAsync(TokenId id, bool enabled, CancellationToken cancellationToken) => _client.SetEnabledAsync(id, enabled, cancellationToken);

    public Task<DynatraceResult<Done>> DisableAsync(TokenId id, CancellationToken cancellationToken) => _client.SetEnabledAsync(id, false, cancellationToken);

    public Task<DynatraceResult<Done>> DeleteAsync(TokenId id, CancellationToken cancellationToken) => _client.DeleteAsync(id, cancellationToken);

    public async Task<TokenListing> ListAsync(string? searchTerm, CancellationToken cancellationToken)
    {
        var all = new List<TokenFacts>();
        var query = new ApiTokenQuery { PageSize = PageSize };
        while (true)
        {
            var page = await _client.ListAsync(query, cancellationToken).ConfigureAwait(false);
            if (!page.IsOk)
            {
                return TokenListing.Failed(all, page);
            }

            all.AddRange(page.Value!.Tokens.Select(TokenFacts.From));
            if (string.IsNullOrEmpty(page.Value.NextPageKey))
            {
                return new TokenListing(all);
            }

            query = NextPage(page.Value.NextPageKey);
        }
    }

    public async Task<TokenIdPage> ListPageAsync(TokenSelector selector, TokenPageCursor cursor, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selector);
        ArgumentNullException.ThrowIfNull(cursor);
        var query = cursor.PageKey is null
            ? new ApiTokenQuery { ApiTokenSelector = ApiTokenSelector(selector), PageSize = Math.Clamp(pageSize, MinPageSize, MaxPageSize) }
            : NextPage(cursor.PageKey);
        var result = await _client.ListAsync(query, cancellationToken).ConfigureAwait(false);
        if (!result.IsOk || result.Value is null)
        {
            return TokenIdPage.Failed(result);
        }

        var page = result.Value;
        return new TokenIdPage([.. page.Tokens.Select(t => t.Id)], page.Tokens.Count, page.NextPageKey, null, IsLast: page.NextPageKey is null)
        {
            Facts = [.. page.Tokens.Select(TokenFacts.From)],
        };
    }

    /// <summary>Dynatrace's <c>apiTokenSelector</c>; null lists every classic token (the kill-switch allows that only with allTokens and an environment).</summary>
    internal static string? ApiTokenSelector(TokenSelector selector)
    {
        var parts = new List<string>(2);
        if (selector.Owner is not null)
        {
            parts.Add($"owner(\"{selector.Owner}\")");
        }

        if (selector.Scope is not null)
        {
            parts.Add($"scope(\"{selector.Scope}\")");
        }

        return parts.Count == 0 ? null : string.Join(',', parts);
    }

    /// <summary>Dynatrace requires every other parameter to be omitted alongside nextPageKey.</summary>
    private static ApiTokenQuery NextPage(string pageKey) => new() { NextPageKey = pageKey, Fields = null };

    private static DynatraceResult<TokenFacts> Map(DynatraceResult<ApiTokenInfo> result) =>
        result.IsOk ? DynatraceResult<TokenFacts>.Ok(TokenFacts.From(result.Value!)) : result.As<TokenFacts>();
}
