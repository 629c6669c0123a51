using Microsoft.Extensions.Time.Testing;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Incidents.Testing;

/// <summary>One account's platform tokens, listed page by page (page numbers from <see cref="PageBase"/>; no page asked = the first).</summary>
public sealed class FakeAccountTokenClient : IAccountTokenClient
{
    private readonly Lock _gate = new();
    private readonly List<PlatformTokenInfo> _tokens;
    private readonly List<PlatformTokenQuery> _queries = [];
    private readonly FakeTimeProvider? _time;

    public FakeAccountTokenClient(string name, IEnumerable<PlatformTokenInfo> tokens, FakeTimeProvider? time = null)
    {
        Account = new DynatraceAccount
        {
            Name = name,
            AccountUuid = Guid.NewGuid(),
            ClientId = "dt0s02.CLIENTID",
            ClientSecret = CredentialReference.FromValue("unused"),
        };
        _tokens = [.. tokens];
        _time = time;
    }

    public DynatraceAccount Account { get; }

    /// <summary>The number of the first page, 0 or 1.</summary>
    public int PageBase { get; init; }

    public Func<PlatformTokenQuery, DynatraceResult<PlatformTokenPage>?>? Intercept { get; set; }

    public IReadOnlyList<PlatformTokenQuery> Queries
    {
        get
        {
            lock (_gate)
            {
                return [.. _queries];
            }
        }
    }

    public static IEnumerable<PlatformTokenInfo> Tokens(int from, int count, Guid user) =>
        Enumerable.Range(from, count).Select(i => new PlatformTokenInfo
        {
            Id = TokenId.Parse(TestTokens.PlatformId(i)),
            Name = $"platform {i}",
            Status = "ACTIVE",
            UserUuid = user.ToString(),
        });

    public Task<DynatraceResult<PlatformTokenPage>> ListAsync(PlatformTokenQuery query, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _queries.Add(query);
        }

        _time?.Advance(TimeSpan.FromMilliseconds(50));
        if (Intercept?.Invoke(query) is { } intercepted)
        {
            return Task.FromResult(intercepted);
        }

        var number = query.Page ?? PageBase;
        List<PlatformTokenInfo> page;
        lock (_gate)
        {
            page = number < PageBase ? [] : [.. _tokens.Skip((number - PageBase) * query.Size).Take(query.Size)];
        }

        return Task.FromResult(DynatraceResult<PlatformTokenPage>.Ok(new PlatformTokenPage(page, number, query.Size, _tokens.Count)));
    }

    public Task<DynatraceResult<PlatformTokenInfo>> FindAsync(TokenId id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<DynatraceResult<Done>> SetActiveAsync(TokenId id, bool active, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<DynatraceResult<CreatedToken>> CreateAsync(PlatformTokenCreateRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<DynatraceResult<Done>> DeleteAsync(TokenId id, CancellationToken cancellationToken) => throw new NotSupportedException();
}
