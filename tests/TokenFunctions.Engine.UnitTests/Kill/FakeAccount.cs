using System.Collections.Concurrent;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.UnitTests.Kill;

/// <summary>An in-memory Dynatrace account holding platform tokens.</summary>
internal sealed class FakeAccount(string name, string clientId = "dt0s02.CLIENTAA") : IAccountTokenClient
{
    private readonly ConcurrentDictionary<string, PlatformTokenInfo> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(TokenId Id, bool Active)> _writes = new();
    private int _finds;

    public DynatraceAccount Account { get; } = new()
    {
        Name = name,
        AccountUuid = Guid.NewGuid(),
        ClientId = clientId,
        ClientSecret = CredentialReference.FromValue("client-secret"),
    };

    public CallTracker Calls { get; } = new();

    public DynatraceStatus? FailFindWith { get; set; }

    public DynatraceStatus? FailWritesWith { get; set; }

    public int Finds => _finds;

    public IReadOnlyList<(TokenId Id, bool Active)> Writes => [.. _writes];

    public PlatformTokenInfo Add(TokenId id, string? status = "ACTIVE")
    {
        var info = new PlatformTokenInfo
        {
            Id = id,
            Name = "platform " + id.PublicPart,
            Status = status,
            Scopes = ["storage:logs:read"],
            UserUuid = "user-" + name,
            LastUsedAt = new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero),
            LastClientIp = "198.51.100.4",
        };
        _tokens[id.Value] = info;
        return info;
    }

    public string? StatusOf(TokenId id) => _tokens[id.Value].Status;

    public async Task<DynatraceResult<PlatformTokenInfo>> FindAsync(TokenId id, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _finds);
        await Calls.EnterAsync(cancellationToken);
        try
        {
            if (FailFindWith is { } status)
            {
                return DynatraceResult<PlatformTokenInfo>.Fail(status, new DynatraceError(503, status.ToString()));
            }

            return _tokens.TryGetValue(id.Value, out var info)
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
        await Calls.EnterAsync(cancellationToken);
        try
        {
            _writes.Enqueue((id, active));
            if (FailWritesWith is { } status)
            {
                return DynatraceResult<Done>.Fail(status, new DynatraceError(403, status.ToString()));
            }

            if (!_tokens.TryGetValue(id.Value, out var info))
            {
                return DynatraceResult<Done>.Fail(DynatraceStatus.NotFound, new DynatraceError(404, "not found"));
            }

            _tokens[id.Value] = info with { Status = active ? "ACTIVE" : "INACTIVE" };
            return DynatraceResult<Done>.Ok(Done.Value);
        }
        finally
        {
            Calls.Exit();
        }
    }

    public Task<DynatraceResult<PlatformTokenPage>> ListAsync(PlatformTokenQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<DynatraceResult<CreatedToken>> CreateAsync(PlatformTokenCreateRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<DynatraceResult<Done>> DeleteAsync(TokenId id, CancellationToken cancellationToken) => throw new NotSupportedException();
}
