using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Dynatrace.Targets;

/// <summary>Classic API tokens of one environment, through the Environment API v2.</summary>
public sealed class EnvironmentTarget : ITokenTarget
{
    private const int PageSize = 1000;
    private readonly IEnvironmentTokenClient _client;

    public EnvironmentTarget(IEnvironmentTokenClient client) => _client = client;

    public string Name => _client.Environment.Name;

    public TokenKind Kind => TokenKind.ClassicApiToken;

    public async Task<DynatraceResult<TokenFacts>> GetAsync(TokenId id, CancellationToken cancellationToken) =>
        Map(await _client.GetAsync(id, cancellationToken).ConfigureAwait(false));

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

            // Dynatrace requires every other parameter to be omitted alongside nextPageKey.
            query = new ApiTokenQuery { NextPageKey = page.Value.NextPageKey, Fields = null };
        }
    }

    private static DynatraceResult<TokenFacts> Map(DynatraceResult<ApiTokenInfo> result) =>
        result.IsOk ? DynatraceResult<TokenFacts>.Ok(TokenFacts.From(result.Value!)) : result.As<TokenFacts>();
}
