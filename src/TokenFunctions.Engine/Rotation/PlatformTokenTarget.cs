using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Rotation;

/// <summary>Platform tokens of one account, through the Account Management API.</summary>
public sealed class PlatformTokenTarget : ITokenTarget
{
    private const int PageSize = 100;
    private const int MaxPages = 1000;
    private readonly IAccountTokenClient _client;

    public PlatformTokenTarget(IAccountTokenClient client) => _client = client;

    public string Name => _client.Account.Name;

    public TokenKind Kind => TokenKind.PlatformToken;

    public async Task<DynatraceResult<TokenFacts>> GetAsync(TokenId id, CancellationToken cancellationToken)
    {
        var result = await _client.FindAsync(id, cancellationToken).ConfigureAwait(false);
        return result.IsOk ? DynatraceResult<TokenFacts>.Ok(TokenFacts.From(result.Value!)) : result.As<TokenFacts>();
    }

    public Task<DynatraceResult<CreatedToken>> CreateAsync(string name, RotationRecord rotation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rotation);
        var request = new PlatformTokenCreateRequest(name, rotation.Scopes, rotation.Resources, rotation.NewExpiresAt, rotation.PlatformTags, rotation.UserUuid);
        return _client.CreateAsync(request, cancellationToken);
    }

    public async Task<DynatraceResult<TokenFacts>> VerifyAsync(TokenSecret secret, RotationRecord rotation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(rotation);
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

        if (!facts.Scopes.ToHashSet(StringComparer.Ordinal).SetEquals(rotation.Scopes))
        {
            return DynatraceResult<TokenFacts>.Fail(DynatraceStatus.BadRequest, new DynatraceError(0, "the new platform token does not carry the old token's scopes"));
        }

        return found;
    }

    public Task<DynatraceResult<Done>> DisableAsync(TokenId id, CancellationToken cancellationToken) => _client.SetActiveAsync(id, false, cancellationToken);

    public Task<DynatraceResult<Done>> DeleteAsync(TokenId id, CancellationToken cancellationToken) => _client.DeleteAsync(id, cancellationToken);

    public async Task<DynatraceResult<IReadOnlyList<TokenFacts>>> ListAsync(string? searchTerm, CancellationToken cancellationToken)
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
        return walked.IsOk ? DynatraceResult<IReadOnlyList<TokenFacts>>.Ok(all) : walked.As<IReadOnlyList<TokenFacts>>();
    }
}
