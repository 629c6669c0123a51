using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.UnitTests.Fakes;

/// <summary>
/// The one <see cref="IEnvironmentTokenClient"/> fake, in one of two modes.
/// <para>Scripted (<c>new FakeEnvironmentClient(name, tokens)</c>): one environment's classic tokens with real behaviour
/// (lookup by secret, get, enable state) and listing like Dynatrace does it: <c>apiTokenSelector</c> with owner/scope,
/// opaque <c>nextPageKey</c> cursors, and every other parameter refused when a page key is given. Tracks calls
/// (<see cref="Calls"/>, <see cref="Queries"/>, <see cref="Writes"/>, counters) and fails where the test scripts it.
/// Create, delete and verify are not faked.</para>
/// <para>Simulated (<see cref="FakeDynatrace.EnvironmentClient"/>): every call goes to a shared <see cref="FakeDynatrace"/>
/// that enforces the acting-credential rules and fakes create, delete and verify too (FakeEnvironmentClient.Simulated.cs).</para>
/// </summary>
public sealed partial class FakeEnvironmentClient : IEnvironmentTokenClient
{
    private readonly Lock _gate = new();
    private readonly List<(ApiTokenInfo Info, string? Fingerprint)> _tokens = [];
    private readonly List<ApiTokenQuery> _queries = [];
    private readonly List<(TokenId Id, bool Enabled)> _writes = [];
    private readonly TaskCompletionSource _firstWrite = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly FakeTimeProvider? _time;
    private readonly string _name;
    private int _lookups;
    private int _gets;
    private int _lists;

    public FakeEnvironmentClient(string name, IEnumerable<ApiTokenInfo>? tokens = null, FakeTimeProvider? time = null)
    {
        _name = name;
        Environment = new DynatraceEnvironment
        {
            Name = name,
            ApiBaseUrl = new Uri($"https://{name}.example.invalid/"),
            Credential = CredentialReference.FromValue("management-" + name),
        };
        _tokens = [.. (tokens ?? []).Select(t => (t, (string?)null))];
        _time = time;
    }

    public DynatraceEnvironment Environment { get; }

    public CallTracker Calls { get; } = new();

    /// <summary>What each list call costs on the fake clock (when one was given).</summary>
    public TimeSpan CostPerList { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Answers a list call (the query and its 1-based number) instead of the fake when it returns a value.</summary>
    public Func<ApiTokenQuery, int, DynatraceResult<ApiTokenPage>?>? Intercept { get; set; }

    /// <summary>When set, the next page key is refused with 400 once (Dynatrace expired the cursor).</summary>
    public bool ExpireNextPageKey { get; set; }

    /// <summary>The most tokens one page holds, whatever the query asks (a smaller value forces paging).</summary>
    public int PageSize { get; set; } = 10_000;

    /// <summary>Every read (lookup/get/list) answers this instead, with <see cref="ReadError"/>.</summary>
    public DynatraceStatus? FailReadsWith { get; set; }

    public DynatraceError? ReadError { get; set; }

    public DynatraceStatus? FailListWith { get; set; }

    public DynatraceStatus? FailWritesWith { get; set; }

    public DynatraceError? WriteError { get; set; }

    /// <summary>Lookup answers 400, as a cluster without the v2 lookup endpoint would.</summary>
    public bool LookupUnsupported { get; set; }

    public Exception? ThrowOnRead { get; set; }

    /// <summary>The ids whose disabling Dynatrace refuses as "the token you authenticate with".</summary>
    public HashSet<string> OwnCredentialIds { get; } = [];

    public int Lookups => Volatile.Read(ref _lookups);

    public int Gets => Volatile.Read(ref _gets);

    public int Lists => Volatile.Read(ref _lists);

    public int Reads => Lookups + Gets;

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

    public IReadOnlyList<(TokenId Id, bool Enabled)> Writes
    {
        get
        {
            lock (_gate)
            {
                return [.. _writes];
            }
        }
    }

    /// <summary>Completes when the first write has been answered.</summary>
    public Task FirstWrite => _firstWrite.Task;

    public static IEnumerable<ApiTokenInfo> Tokens(int from, int count, string owner = "alice@example.com", params string[] scopes) =>
        Enumerable.Range(from, count).Select(i => new ApiTokenInfo
        {
            Id = TokenId.Parse(TestTokens.ClassicId(i)),
            Name = $"token {i}",
            Enabled = true,
            Owner = owner,
            Scopes = scopes.Length == 0 ? ["DataExport"] : scopes,
        });

    public ApiTokenInfo Add(TokenSecret secret, bool enabled = true) => Add(secret.Id, enabled, secret.Fingerprint);

    /// <summary>Adds (or replaces) a token with the details a kill reads: owner, scopes, last use.</summary>
    public ApiTokenInfo Add(TokenId id, bool enabled = true, string? fingerprint = null)
    {
        var info = new ApiTokenInfo
        {
            Id = id,
            Name = "token " + id.PublicPart[..4],
            Enabled = enabled,
            Owner = "owner@" + _name,
            Scopes = ["metrics.read", "logs.ingest"],
            LastUsedDate = new DateTimeOffset(2026, 11, 20, 8, 30, 0, TimeSpan.Zero),
            LastUsedIpAddress = "203.0.113.7",
        };
        Put(info, fingerprint);
        return info;
    }

    public bool IsEnabled(TokenId id) => Find(id)!.Value.Info.Enabled;

    public void Remove(TokenId id)
    {
        lock (_gate)
        {
            _tokens.RemoveAll(t => Same(t.Info.Id, id));
        }
    }

    public async Task<DynatraceResult<ApiTokenInfo>> LookupAsync(TokenSecret token, CancellationToken cancellationToken)
    {
        if (_dynatrace is not null)
        {
            return await SimulatedLookupAsync(token);
        }

        Interlocked.Increment(ref _lookups);
        await Calls.EnterAsync(cancellationToken);
        try
        {
            if (ReadFailure<ApiTokenInfo>() is { } failed)
            {
                return failed;
            }

            if (LookupUnsupported)
            {
                return DynatraceResult<ApiTokenInfo>.Fail(DynatraceStatus.BadRequest, new DynatraceError(400, "Unsupported endpoint"));
            }

            return Find(token.Id) is { } t && (t.Fingerprint is null || t.Fingerprint == token.Fingerprint)
                ? DynatraceResult<ApiTokenInfo>.Ok(t.Info)
                : DynatraceResult<ApiTokenInfo>.Fail(DynatraceStatus.NotFound, new DynatraceError(404, "Token not found"));
        }
        finally
        {
            Calls.Exit();
        }
    }

    public async Task<DynatraceResult<ApiTokenInfo>> GetAsync(TokenId id, CancellationToken cancellationToken)
    {
        if (_dynatrace is not null)
        {
            return await SimulatedGetAsync(id);
        }

        Interlocked.Increment(ref _gets);
        await Calls.EnterAsync(cancellationToken);
        try
        {
            if (ReadFailure<ApiTokenInfo>() is { } failed)
            {
                return failed;
            }

            return Find(id) is { } t
                ? DynatraceResult<ApiTokenInfo>.Ok(t.Info)
                : DynatraceResult<ApiTokenInfo>.Fail(DynatraceStatus.NotFound, new DynatraceError(404, "Token not found"));
        }
        finally
        {
            Calls.Exit();
        }
    }

    public async Task<DynatraceResult<ApiTokenPage>> ListAsync(ApiTokenQuery query, CancellationToken cancellationToken)
    {
        if (_dynatrace is not null)
        {
            return await SimulatedListAsync(query);
        }

        int call;
        lock (_gate)
        {
            _queries.Add(query);
            call = _queries.Count;
        }

        Interlocked.Increment(ref _lists);
        _time?.Advance(CostPerList);
        if (Intercept?.Invoke(query, call) is { } intercepted)
        {
            return intercepted;
        }

        await Calls.EnterAsync(cancellationToken);
        try
        {
            return (FailListWith ?? FailReadsWith) is { } status
                ? DynatraceResult<ApiTokenPage>.Fail(status, new DynatraceError(503, "unavailable"))
                : Page(query);
        }
        finally
        {
            Calls.Exit();
        }
    }

    public async Task<DynatraceResult<Done>> SetEnabledAsync(TokenId id, bool enabled, CancellationToken cancellationToken)
    {
        if (_dynatrace is not null)
        {
            return await SimulatedSetEnabledAsync(id, enabled);
        }

        await Calls.EnterAsync(cancellationToken);
        try
        {
            lock (_gate)
            {
                _writes.Add((id, enabled));
            }

            if (FailWritesWith is { } status)
            {
                return DynatraceResult<Done>.Fail(status, WriteError ?? new DynatraceError(500, status.ToString()));
            }

            if (OwnCredentialIds.Contains(id.Value))
            {
                return DynatraceResult<Done>.Fail(DynatraceStatus.OwnCredential, new DynatraceError(400, "You can't disable the token you're using for authentication"));
            }

            if (Find(id) is not { } t)
            {
                return DynatraceResult<Done>.Fail(DynatraceStatus.NotFound, new DynatraceError(404, "Token not found"));
            }

            Put(t.Info with { Enabled = enabled }, t.Fingerprint);
            _firstWrite.TrySetResult();
            return DynatraceResult<Done>.Ok(Done.Value);
        }
        finally
        {
            Calls.Exit();
        }
    }

    public Task<DynatraceResult<CreatedToken>> CreateAsync(ApiTokenCreateRequest request, CancellationToken cancellationToken) =>
        _dynatrace is null ? throw new NotSupportedException() : SimulatedCreateAsync(request);

    public Task<DynatraceResult<Done>> DeleteAsync(TokenId id, CancellationToken cancellationToken) =>
        _dynatrace is null ? throw new NotSupportedException() : SimulatedDeleteAsync(id);

    public Task<DynatraceResult<ApiTokenInfo>> VerifyWorksAsync(TokenSecret token, CancellationToken cancellationToken) =>
        _dynatrace is null ? throw new NotSupportedException() : SimulatedVerifyWorksAsync(token);

    private static bool Same(TokenId a, TokenId b) => string.Equals(a.Value, b.Value, StringComparison.Ordinal);

    private static DynatraceResult<ApiTokenPage> BadRequest(string message) =>
        DynatraceResult<ApiTokenPage>.Fail(DynatraceStatus.BadRequest, new DynatraceError(400, message));

    private DynatraceResult<T>? ReadFailure<T>()
    {
        if (ThrowOnRead is { } ex)
        {
            throw ex;
        }

        return FailReadsWith is { } status ? DynatraceResult<T>.Fail(status, ReadError ?? new DynatraceError(500, status.ToString())) : null;
    }

    /// <summary>One page in id order; the page key carries offset, page size and selector, as an opaque string.</summary>
    private DynatraceResult<ApiTokenPage> Page(ApiTokenQuery query)
    {
        string? selector;
        int offset, pageSize;
        if (query.NextPageKey is not null)
        {
            var expired = ExpireNextPageKey;
            ExpireNextPageKey = false;
            if (query.ApiTokenSelector is not null || query.PageSize is not null || query.Fields is not null || expired)
            {
                return BadRequest("nextPageKey invalid or combined with other parameters");
            }

            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(query.NextPageKey)).Split('\n');
            offset = int.Parse(parts[0], CultureInfo.InvariantCulture);
            pageSize = int.Parse(parts[1], CultureInfo.InvariantCulture);
            selector = parts[2].Length == 0 ? null : parts[2];
        }
        else
        {
            offset = 0;
            var requested = query.PageSize ?? 200;
            if (requested is < 100 or > 10_000)
            {
                return BadRequest("pageSize out of range");
            }

            pageSize = Math.Min(PageSize, requested);
            selector = query.ApiTokenSelector;
        }

        var owner = selector is null ? null : OwnerPattern().Match(selector) is { Success: true } o ? o.Groups[1].Value : null;
        var scope = selector is null ? null : ScopePattern().Match(selector) is { Success: true } s ? s.Groups[1].Value : null;
        List<ApiTokenInfo> matching;
        lock (_gate)
        {
            matching = [.. _tokens.Select(t => t.Info)
                .Where(t => (owner is null || t.Owner == owner) && (scope is null || t.Scopes.Contains(scope)))
                .OrderBy(t => t.Id.Value, StringComparer.Ordinal)];
        }

        var page = matching.Skip(offset).Take(pageSize).ToList();
        var next = offset + page.Count < matching.Count
            ? Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{offset + page.Count}\n{pageSize}\n{selector}")))
            : null;
        return DynatraceResult<ApiTokenPage>.Ok(new ApiTokenPage(page, next, matching.Count));
    }

    private (ApiTokenInfo Info, string? Fingerprint)? Find(TokenId id)
    {
        lock (_gate)
        {
            var at = _tokens.FindIndex(t => Same(t.Info.Id, id));
            return at < 0 ? null : _tokens[at];
        }
    }

    private void Put(ApiTokenInfo info, string? fingerprint)
    {
        lock (_gate)
        {
            var at = _tokens.FindIndex(t => Same(t.Info.Id, info.Id));
            if (at < 0)
            {
                _tokens.Add((info, fingerprint));
            }
            else
            {
                _tokens[at] = (info, fingerprint);
            }
        }
    }

    [GeneratedRegex("owner\\(\"([^\"]*)\"\\)")]
    private static partial Regex OwnerPattern();

    [GeneratedRegex("scope\\(\"([^\"]*)\"\\)")]
    private static partial Regex ScopePattern();
}
