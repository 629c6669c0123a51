using System.Collections.Concurrent;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.UnitTests.Kill;

/// <summary>An in-memory Dynatrace environment with real behaviour: tokens, lookup by secret, paging, enable state.</summary>
internal sealed class FakeEnvironment(string name) : IEnvironmentTokenClient
{
    private readonly ConcurrentDictionary<string, (ApiTokenInfo Info, string? Fingerprint)> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(TokenId Id, bool Enabled)> _writes = new();
    private int _lookups;
    private int _gets;
    private int _lists;

    public DynatraceEnvironment Environment { get; } = new()
    {
        Name = name,
        ApiBaseUrl = new Uri($"https://{name}.example.invalid/"),
        Credential = CredentialReference.FromValue("management-" + name),
    };

    public CallTracker Calls { get; } = new();

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

    public int PageSize { get; set; } = 10_000;

    public int Lookups => _lookups;

    public int Gets => _gets;

    public int Lists => _lists;

    public int Reads => _lookups + _gets;

    public IReadOnlyList<(TokenId Id, bool Enabled)> Writes => [.. _writes];

    /// <summary>Completes when the first write has been answered.</summary>
    public Task FirstWrite => _firstWrite.Task;

    private readonly TaskCompletionSource _firstWrite = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ApiTokenInfo Add(TokenSecret secret, bool enabled = true) => Add(secret.Id, enabled, secret.Fingerprint);

    public ApiTokenInfo Add(TokenId id, bool enabled = true, string? fingerprint = null)
    {
        var info = new ApiTokenInfo
        {
            Id = id,
            Name = "token " + id.PublicPart[..4],
            Enabled = enabled,
            Owner = "owner@" + name,
            Scopes = ["metrics.read", "logs.ingest"],
            LastUsedDate = new DateTimeOffset(2026, 11, 20, 8, 30, 0, TimeSpan.Zero),
            LastUsedIpAddress = "203.0.113.7",
        };
        _tokens[id.Value] = (info, fingerprint);
        return info;
    }

    public bool IsEnabled(TokenId id) => _tokens[id.Value].Info.Enabled;

    public async Task<DynatraceResult<ApiTokenInfo>> LookupAsync(TokenSecret token, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _lookups);
        await Calls.EnterAsync(cancellationToken);
        try
        {
            if (ThrowOnRead is { } ex)
            {
                throw ex;
            }

            if (FailReadsWith is { } status)
            {
                return DynatraceResult<ApiTokenInfo>.Fail(status, ReadError ?? new DynatraceError(500, status.ToString()));
            }

            if (LookupUnsupported)
            {
                return DynatraceResult<ApiTokenInfo>.Fail(DynatraceStatus.BadRequest, new DynatraceError(400, "Unsupported endpoint"));
            }

            return _tokens.TryGetValue(token.Id.Value, out var t) && (t.Fingerprint is null || t.Fingerprint == token.Fingerprint)
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
        Interlocked.Increment(ref _gets);
        await Calls.EnterAsync(cancellationToken);
        try
        {
            if (ThrowOnRead is { } ex)
            {
                throw ex;
            }

            if (FailReadsWith is { } status)
            {
                return DynatraceResult<ApiTokenInfo>.Fail(status, ReadError ?? new DynatraceError(500, status.ToString()));
            }

            return _tokens.TryGetValue(id.Value, out var t)
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
        Interlocked.Increment(ref _lists);
        await Calls.EnterAsync(cancellationToken);
        try
        {
            if ((FailListWith ?? FailReadsWith) is { } status)
            {
                return DynatraceResult<ApiTokenPage>.Fail(status, new DynatraceError(503, "unavailable"));
            }

            if (query.NextPageKey is not null && (query.PageSize is not null || query.ApiTokenSelector is not null || query.Fields is not null))
            {
                return DynatraceResult<ApiTokenPage>.Fail(DynatraceStatus.BadRequest, new DynatraceError(400, "nextPageKey must be alone"));
            }

            var all = _tokens.Values.Select(t => t.Info).OrderBy(t => t.Id.Value, StringComparer.Ordinal).ToList();
            var start = query.NextPageKey is null ? 0 : int.Parse(query.NextPageKey, System.Globalization.CultureInfo.InvariantCulture);
            var size = Math.Min(PageSize, query.PageSize ?? PageSize);
            var page = all.Skip(start).Take(size).ToList();
            var next = start + size < all.Count ? (start + size).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
            return DynatraceResult<ApiTokenPage>.Ok(new ApiTokenPage(page, next, all.Count));
        }
        finally
        {
            Calls.Exit();
        }
    }

    public async Task<DynatraceResult<Done>> SetEnabledAsync(TokenId id, bool enabled, CancellationToken cancellationToken)
    {
        await Calls.EnterAsync(cancellationToken);
        try
        {
            _writes.Enqueue((id, enabled));
            if (FailWritesWith is { } status)
            {
                return DynatraceResult<Done>.Fail(status, WriteError ?? new DynatraceError(500, status.ToString()));
            }

            if (OwnCredentialIds.Contains(id.Value))
            {
                return DynatraceResult<Done>.Fail(DynatraceStatus.OwnCredential, new DynatraceError(400, "You can't disable the token you're using for authentication"));
            }

            if (!_tokens.TryGetValue(id.Value, out var t))
            {
                return DynatraceResult<Done>.Fail(DynatraceStatus.NotFound, new DynatraceError(404, "Token not found"));
            }

            _tokens[id.Value] = (t.Info with { Enabled = enabled }, t.Fingerprint);
            _firstWrite.TrySetResult();
            return DynatraceResult<Done>.Ok(Done.Value);
        }
        finally
        {
            Calls.Exit();
        }
    }

    public void Remove(TokenId id) => _tokens.TryRemove(id.Value, out _);

    public Task<DynatraceResult<CreatedToken>> CreateAsync(ApiTokenCreateRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<DynatraceResult<Done>> DeleteAsync(TokenId id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<DynatraceResult<ApiTokenInfo>> VerifyWorksAsync(TokenSecret token, CancellationToken cancellationToken) => throw new NotSupportedException();
}
