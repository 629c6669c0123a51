using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Incidents.Testing;

/// <summary>
/// One environment's classic tokens, listed like Dynatrace does: <c>apiTokenSelector</c> with owner/scope, opaque
/// <c>nextPageKey</c> cursors, and every other parameter refused when a page key is given.
/// </summary>
public sealed partial class FakeEnvironmentTokenClient : IEnvironmentTokenClient
{
    private readonly Lock _gate = new();
    private readonly List<ApiTokenInfo> _tokens;
    private readonly List<ApiTokenQuery> _queries = [];
    private readonly FakeTimeProvider? _time;

    public FakeEnvironmentTokenClient(string name, IEnumerable<ApiTokenInfo> tokens, FakeTimeProvider? time = null)
    {
        Environment = new DynatraceEnvironment
        {
            Name = name,
            ApiBaseUrl = new Uri($"https://{name}.example.invalid/"),
            Credential = CredentialReference.FromValue("unused"),
        };
        _tokens = [.. tokens];
        _time = time;
    }

    public DynatraceEnvironment Environment { get; }

    public TimeSpan CostPerList { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Answers instead of the fake when it returns a value (failure injection).</summary>
    public Func<ApiTokenQuery, int, DynatraceResult<ApiTokenPage>?>? Intercept { get; set; }

    /// <summary>When set, the next page key is refused with 400 once (Dynatrace expired the cursor).</summary>
    public bool ExpireNextPageKey { get; set; }

    public IReadOnlyList<ApiTokenQuery> Queries
    {
        get
        {
            lock (_gate)
            {
                return [.. _queries];
            }
        }
    }

    public static IEnumerable<ApiTokenInfo> Tokens(int from, int count, string owner = "alice@example.com", params string[] scopes) =>
        Enumerable.Range(from, count).Select(i => new ApiTokenInfo
        {
            Id = TokenId.Parse(TestTokens.ClassicId(i)),
            Name = $"token {i}",
            Enabled = true,
            Owner = owner,
            Scopes = scopes.Length == 0 ? ["DataExport"] : scopes,
        });

    public Task<DynatraceResult<ApiTokenPage>> ListAsync(ApiTokenQuery query, CancellationToken cancellationToken)
    {
        int call;
        lock (_gate)
        {
            _queries.Add(query);
            call = _queries.Count;
        }

        _time?.Advance(CostPerList);
        if (Intercept?.Invoke(query, call) is { } intercepted)
        {
            return Task.FromResult(intercepted);
        }

        string? selector;
        int offset, pageSize;
        if (query.NextPageKey is not null)
        {
            var expired = ExpireNextPageKey;
            ExpireNextPageKey = false;
            if (query.ApiTokenSelector is not null || query.PageSize is not null || query.Fields is not null || expired)
            {
                return Task.FromResult(DynatraceResult<ApiTokenPage>.Fail(DynatraceStatus.BadRequest, new DynatraceError(400, "nextPageKey invalid or combined with other parameters")));
            }

            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(query.NextPageKey)).Split('\n');
            offset = int.Parse(parts[0], CultureInfo.InvariantCulture);
            pageSize = int.Parse(parts[1], CultureInfo.InvariantCulture);
            selector = parts[2].Length == 0 ? null : parts[2];
        }
        else
        {
            offset = 0;
            pageSize = query.PageSize ?? 200;
            selector = query.ApiTokenSelector;
            if (pageSize is < 100 or > 10_000)
            {
                return Task.FromResult(DynatraceResult<ApiTokenPage>.Fail(DynatraceStatus.BadRequest, new DynatraceError(400, "pageSize out of range")));
            }
        }

        var owner = selector is null ? null : OwnerPattern().Match(selector) is { Success: true } o ? o.Groups[1].Value : null;
        var scope = selector is null ? null : ScopePattern().Match(selector) is { Success: true } s ? s.Groups[1].Value : null;
        List<ApiTokenInfo> matching;
        lock (_gate)
        {
            matching = [.. _tokens.Where(t => (owner is null || t.Owner == owner) && (scope is null || t.Scopes.Contains(scope)))];
        }

        var page = matching.Skip(offset).Take(pageSize).ToList();
        var next = offset + page.Count < matching.Count
            ? Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{offset + page.Count}\n{pageSize}\n{selector}")))
            : null;
        return Task.FromResult(DynatraceResult<ApiTokenPage>.Ok(new ApiTokenPage(page, next, matching.Count)));
    }

    public Task<DynatraceResult<ApiTokenInfo>> LookupAsync(TokenSecret token, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<DynatraceResult<ApiTokenInfo>> GetAsync(TokenId id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<DynatraceResult<Done>> SetEnabledAsync(TokenId id, bool enabled, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<DynatraceResult<CreatedToken>> CreateAsync(ApiTokenCreateRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<DynatraceResult<Done>> DeleteAsync(TokenId id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<DynatraceResult<ApiTokenInfo>> VerifyWorksAsync(TokenSecret token, CancellationToken cancellationToken) => throw new NotSupportedException();

    [GeneratedRegex("owner\\(\"([^\"]*)\"\\)")]
    private static partial Regex OwnerPattern();

    [GeneratedRegex("scope\\(\"([^\"]*)\"\\)")]
    private static partial Regex ScopePattern();
}
