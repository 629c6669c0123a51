using Microsoft.Extensions.Time.Testing;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.UnitTests.Fakes;

/// <summary>
/// The one <see cref="IAccountTokenClient"/> fake, in one of two modes.
/// <para>Scripted (<c>new FakeAccountClient(name, tokens)</c>): one account's platform tokens, in the order added. Lists
/// page by page (page numbers from <see cref="PageBase"/>; no page asked = the first), finds and (de)activates by id,
/// tracks calls (<see cref="Calls"/>, <see cref="Queries"/>, <see cref="Writes"/>) and fails where the test scripts it.
/// Create and delete are not faked.</para>
/// <para>Simulated (<see cref="FakeDynatrace.AccountClient"/>): every call goes to a shared <see cref="FakeDynatrace"/>,
/// create and delete included (FakeAccountClient.Simulated.cs).</para>
/// </summary>
public sealed partial class FakeAccountClient : IAccountTokenClient
{
    private readonly Lock _gate = new();
    private readonly List<PlatformTokenInfo> _tokens = [];
    private readonly List<PlatformTokenQuery> _queries = [];
    private readonly List<(TokenId Id, bool Active)> _writes = [];
    private readonly FakeTimeProvider? _time;
    private readonly string _name;
    private int _finds;

    public FakeAccountClient(string name, IEnumerable<PlatformTokenInfo>? tokens = null, FakeTimeProvider? time = null, string clientId = "dt0s02.CLIENTAA")
    {
        _name = name;
        Account = new DynatraceAccount
        {
            Name = name,
            AccountUuid = Guid.NewGuid(),
            ClientId = clientId,
            ClientSecret = CredentialReference.FromValue("client-secret"),
        };
        _tokens = [.. tokens ?? []];
        _time = time;
    }

    public DynatraceAccount Account { get; }

    public CallTracker Calls { get; } = new();

    /// <summary>The number of the first page, 0 or 1.</summary>
    public int PageBase { get; init; }

    /// <summary>Answers a list call instead of the fake when it returns a value (failure injection).</summary>
    public Func<PlatformTokenQuery, DynatraceResult<PlatformTokenPage>?>? Intercept { get; set; }

    public DynatraceStatus? FailFindWith { get; set; }

    public DynatraceStatus? FailWritesWith { get; set; }

    public int Finds => Volatile.Read(ref _finds);

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

    public IReadOnlyList<(TokenId Id, bool Active)> Writes
    {
        get
        {
            lock (_gate)
            {
                return [.. _writes];
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

    /// <summary>Adds (or replaces) a token with the details a kill reads: scopes, owner, last use.</summary>
    public PlatformTokenInfo Add(TokenId id, string? status = "ACTIVE")
    {
        var info = new PlatformTokenInfo
        {
            Id = id,
            Name = "platform " + id.PublicPart,
            Status = status,
            Scopes = ["storage:logs:read"],
            UserUuid = "user-" + _name,
            LastUsedAt = new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero),
            LastClientIp = "198.51.100.4",
        };
        Put(info);
        return info;
    }

    public string? StatusOf(TokenId id) => Find(id)!.Status;

    public Task<DynatraceResult<PlatformTokenPage>> ListAsync(PlatformTokenQuery query, CancellationToken cancellationToken)
    {
        if (_dynatrace is not null)
        {
            return SimulatedListAsync(query);
        }

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
        int total;
        lock (_gate)
        {
            page = number < PageBase ? [] : [.. _tokens.Skip((number - PageBase) * query.Size).Take(query.Size)];
            total = _tokens.Count;
        }

        return Task.FromResult(DynatraceResult<PlatformTokenPage>.Ok(new PlatformTokenPage(page, number, query.Size, total)));
    }

    public async Task<DynatraceResult<PlatformTokenInfo>> FindAsync(TokenId id, CancellationToken cancellationToken)
    {
        if (_dynatrace is not null)
        {
            return await SimulatedFindAsync(id);
        }

        Interlocked.Increment(ref _finds);
        await Calls.EnterAsync(cancellationToken);
        try
        {
            if (FailFindWith is { } status)
            {
                return DynatraceResult<PlatformTokenInfo>.Fail(status, new DynatraceError(503, status.ToString()));
            }

            return Find(id) is { } info
                ? DynatraceResult<PlatformTokenInfo>.Ok(info)
                : DynatraceResult<PlatformTokenInfo>.Fail(DynatraceStatus.NotFound, new DynatraceError(404, "not found"));
        }
        finally
        {
            Calls.Exit();
        }
    }

    public async Task<DynatraceResult<Done>> SetActiveAsync(TokenId id, bool active, CancellationToken cancellationToken)
    {
        if (_dynatrace is not null)
        {
            return await SimulatedSetActiveAsync(id, active);
        }

        await Calls.EnterAsync(cancellationToken);
        try
        {
            lock (_gate)
            {
                _writes.Add((id, active));
            }

            if (FailWritesWith is { } status)
            {
                return DynatraceResult<Done>.Fail(status, new DynatraceError(403, status.ToString()));
            }

            if (Find(id) is not { } info)
            {
                return DynatraceResult<Done>.Fail(DynatraceStatus.NotFound, new DynatraceError(404, "not found"));
            }

            Put(info with { Status = active ? "ACTIVE" : "INACTIVE" });
            return DynatraceResult<Done>.Ok(Done.Value);
        }
        finally
        {
            Calls.Exit();
        }
    }

    public Task<DynatraceResult<CreatedToken>> CreateAsync(PlatformTokenCreateRequest request, CancellationToken cancellationToken) =>
        _dynatrace is null ? throw new NotSupportedException() : SimulatedCreateAsync(request);

    public Task<DynatraceResult<Done>> DeleteAsync(TokenId id, CancellationToken cancellationToken) =>
        _dynatrace is null ? throw new NotSupportedException() : SimulatedDeleteAsync(id);

    private PlatformTokenInfo? Find(TokenId id)
    {
        lock (_gate)
        {
            return _tokens.Find(t => string.Equals(t.Id.Value, id.Value, StringComparison.Ordinal));
        }
    }

    private void Put(PlatformTokenInfo info)
    {
        lock (_gate)
        {
            var at = _tokens.FindIndex(t => string.Equals(t.Id.Value, info.Id.Value, StringComparison.Ordinal));
            if (at < 0)
            {
                _tokens.Add(info);
            }
            else
            {
                _tokens[at] = info;
            }
        }
    }
}
