using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace TokenFunctions.KeyVaultSandbox.State;

/// <summary>Everything the handlers share: secrets and their versions, issued bearers, faults, the journal and the counters.</summary>
internal sealed class VaultState(KeyVaultSandboxOptions options, string identityHeader)
{
    /// <summary>The audience of a Key Vault bearer (the challenge's <c>resource</c>).</summary>
    public const string VaultResource = "https://vault.azure.net";

    public const string SandboxClientId = "00000000-0000-0000-0000-00000000beef";

    private readonly ConcurrentQueue<KeyVaultRequest> _journal = new();
    private readonly ConcurrentDictionary<string, IssuedToken> _tokens = new(StringComparer.Ordinal);
    private readonly long[] _calls = new long[Enum.GetValues<KeyVaultOperation>().Length];
    private readonly byte[] _identityHeader = Encoding.UTF8.GetBytes(identityHeader);
    private readonly ConcurrentDictionary<CallWaiter, byte> _waiters = new();
    private long _sequence;

    public Lock Gate { get; } = new();

    /// <summary>By name, case-insensitive as Key Vault's names are; each list in creation order.</summary>
    public Dictionary<string, List<StoredVersion>> Secrets { get; } = new(StringComparer.OrdinalIgnoreCase);

    public TimeProvider Clock { get; } = options.TimeProvider;

    public string TenantId { get; } = options.TenantId;

    public string? UserAssignedClientId { get; } = options.UserAssignedClientId;

    public KeyVaultFaults Faults { get; } = new();

    public CancellationTokenSource Stopping { get; } = new();

    public Uri VaultUri { get; set; } = new("https://127.0.0.1/");

    public volatile int PageSize = options.PageSize;

    public volatile bool RecordRequests = options.RecordRequests;

    public IReadOnlyList<KeyVaultRequest> Journal => [.. _journal];

    public long Calls(KeyVaultOperation operation) => Interlocked.Read(ref _calls[(int)operation]);

    public long TotalCalls
    {
        get
        {
            long total = 0;
            for (var i = 0; i < _calls.Length; i++)
            {
                total += Interlocked.Read(ref _calls[i]);
            }

            return total;
        }
    }

    public void Count(KeyVaultOperation operation)
    {
        var calls = Interlocked.Increment(ref _calls[(int)operation]);
        if (_waiters.IsEmpty)
        {
            return;
        }

        foreach (var waiter in _waiters.Keys)
        {
            if (waiter.Operation == operation && calls >= waiter.Calls && _waiters.TryRemove(waiter, out _))
            {
                waiter.Done.TrySetResult();
            }
        }
    }

    /// <summary>Completes when <paramref name="operation"/> has arrived <paramref name="calls"/> times (counted on arrival, before any fault).</summary>
    public async Task WhenCalledAsync(KeyVaultOperation operation, long calls, CancellationToken cancellationToken)
    {
        var waiter = new CallWaiter(operation, calls);
        _waiters.TryAdd(waiter, 0);
        if (Calls(operation) >= calls && _waiters.TryRemove(waiter, out _))
        {
            return;
        }

        try
        {
            await waiter.Done.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            _waiters.TryRemove(waiter, out _);
        }
    }

    public void Record(KeyVaultRequest request)
    {
        if (RecordRequests)
        {
            _journal.Enqueue(request);
        }
    }

    public void ResetCounters()
    {
        _journal.Clear();
        for (var i = 0; i < _calls.Length; i++)
        {
            Interlocked.Exchange(ref _calls[i], 0);
        }
    }

    public string NextVersionId(out long sequence)
    {
        sequence = Interlocked.Increment(ref _sequence);
        return Guid.NewGuid().ToString("N");
    }

    public bool IsIdentityHeader(string? presented) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), _identityHeader);

    /// <summary>
    /// A new bearer, shaped like an Entra access token (three base64url parts) so clients that peek at it are not
    /// surprised; unsigned, and only this sandbox accepts it, by exact value.
    /// </summary>
    public (string Token, IssuedToken Issued) IssueToken(string resource, string clientId, TimeSpan lifetime)
    {
        var expires = DateTimeOffset.UtcNow + lifetime;
        var header = Base64Url("""{"typ":"JWT","alg":"none"}""");
        var payload = Base64Url(
            $$"""{"aud":"{{resource}}","iss":"https://sts.windows.net/{{TenantId}}/","tid":"{{TenantId}}","appid":"{{clientId}}","exp":{{expires.ToUnixTimeSeconds()}}}""");
        var token = $"{header}.{payload}.{System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))}";
        var issued = new IssuedToken(resource, clientId, expires);
        _tokens[token] = issued;
        return (token, issued);
    }

    /// <summary>True for a bearer this sandbox issued for Key Vault that has not expired.</summary>
    public bool IsVaultToken(string token) =>
        _tokens.TryGetValue(token, out var issued)
        && string.Equals(issued.Resource.TrimEnd('/'), VaultResource, StringComparison.OrdinalIgnoreCase)
        && issued.ExpiresOn > DateTimeOffset.UtcNow;

    private sealed class CallWaiter(KeyVaultOperation operation, long calls)
    {
        public KeyVaultOperation Operation { get; } = operation;

        public long Calls { get; } = calls;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private static string Base64Url(string json) => System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
}
