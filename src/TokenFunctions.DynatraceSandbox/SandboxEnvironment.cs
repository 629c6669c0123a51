using System.Collections.Concurrent;
using TokenFunctions.DynatraceSandbox.State;

namespace TokenFunctions.DynatraceSandbox;

/// <summary>
/// One fake Dynatrace environment: its classic tokens, call counters and faults. Thread-safe; seeding and inspection
/// can run while requests are in flight.
/// </summary>
public sealed class SandboxEnvironment
{
    /// <summary>What a management credential needs: v2 read/write, plus v1's <c>TenantTokenManagement</c>.</summary>
    public static readonly IReadOnlyList<string> ManagementScopes = ["apiTokens.read", "apiTokens.write", "TenantTokenManagement"];

    private readonly ConcurrentDictionary<string, ApiTokenState> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ApiTokenState> _bySecret = new(StringComparer.Ordinal);
    private readonly long[] _calls = new long[Enum.GetValues<SandboxEndpoint>().Length];
    private readonly TimeProvider _clock;

    internal SandboxEnvironment(string id, TimeProvider clock)
    {
        Id = id;
        _clock = clock;
    }

    public string Id { get; }

    public SandboxFaults Faults { get; } = new();

    /// <summary>
    /// A "Phase 3" environment: <c>POST /api/v2/apiTokens</c> answers 403 ("Classic API token creation is disabled …");
    /// everything else works.
    /// </summary>
    public bool ClassicCreationDisabled { get; set; }

    public int TokenCount => _byId.Count;

    /// <summary>A snapshot of every token, newest first.</summary>
    public IReadOnlyList<SandboxApiToken> Tokens =>
        [.. _byId.Values.Select(t => t.Snapshot()).OrderByDescending(t => t.CreationDate).ThenBy(t => t.Id, StringComparer.Ordinal)];

    public SandboxIssuedToken AddToken(SandboxApiTokenSeed? seed = null)
    {
        seed ??= new SandboxApiTokenSeed();
        var generated = TokenGenerator.Classic();
        var id = seed.Id ?? (seed.Secret is { } s ? IdOf(s) : generated.Id);
        var secret = seed.Secret ?? (seed.Id is null ? generated.Secret : id + "." + generated.Secret[(generated.Id.Length + 1)..]);
        var state = new ApiTokenState(id, secret, seed, _clock.GetUtcNow());
        if (!_byId.TryAdd(id, state))
        {
            throw new ArgumentException($"Environment {Id} already has a token {id}.", nameof(seed));
        }

        if (!_bySecret.TryAdd(secret, state))
        {
            _byId.TryRemove(id, out _);
            throw new ArgumentException($"Environment {Id} already has a token with that secret.", nameof(seed));
        }

        return new SandboxIssuedToken(id, secret);
    }

    /// <summary>A token fit to be the management credential: <see cref="ManagementScopes"/>, enabled, never expiring.</summary>
    public SandboxIssuedToken AddManagementToken(string name = "tokenfunctions-killswitch", string owner = "security@example.com") =>
        AddToken(new SandboxApiTokenSeed { Name = name, Owner = owner, Scopes = ManagementScopes });

    /// <summary>Adds <paramref name="count"/> tokens; <paramref name="seed"/> shapes the i-th one (default: a metrics token).</summary>
    public IReadOnlyList<SandboxIssuedToken> AddTokens(int count, Func<int, SandboxApiTokenSeed>? seed = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var issued = new SandboxIssuedToken[count];
        var created = _clock.GetUtcNow();
        for (var i = 0; i < count; i++)
        {
            issued[i] = AddToken(seed?.Invoke(i) ?? new SandboxApiTokenSeed
            {
                Name = $"token-{i}",
                Scopes = ["metrics.read"],
                CreationDate = created.AddMilliseconds(-i),
            });
        }

        return issued;
    }

    public SandboxApiToken? GetToken(string id) => _byId.TryGetValue(id, out var state) ? state.Snapshot() : null;

    public bool SetEnabled(string id, bool enabled)
    {
        if (!_byId.TryGetValue(id, out var state))
        {
            return false;
        }

        state.Update(enabled, null, null, _clock.GetUtcNow());
        return true;
    }

    public bool SetExpiration(string id, DateTimeOffset? expiration)
    {
        if (!_byId.TryGetValue(id, out var state))
        {
            return false;
        }

        state.SetExpiration(expiration);
        return true;
    }

    public bool RemoveToken(string id)
    {
        if (!_byId.TryRemove(id, out var state))
        {
            return false;
        }

        _bySecret.TryRemove(state.Secret, out _);
        return true;
    }

    /// <summary>Requests that reached this environment's endpoint, faulted ones included.</summary>
    public long CallCount(SandboxEndpoint endpoint) => Interlocked.Read(ref _calls[(int)endpoint]);

    public long TotalCalls => _calls.Sum();

    public void ResetCallCounts()
    {
        for (var i = 0; i < _calls.Length; i++)
        {
            Interlocked.Exchange(ref _calls[i], 0);
        }
    }

    public override string ToString() => Id;

    internal void Count(SandboxEndpoint endpoint) => Interlocked.Increment(ref _calls[(int)endpoint]);

    internal ApiTokenState? FindById(string id) => _byId.TryGetValue(id, out var state) ? state : null;

    internal ApiTokenState? FindBySecret(string secret) => _bySecret.TryGetValue(secret, out var state) ? state : null;

    internal IEnumerable<ApiTokenState> All => _byId.Values;

    internal ApiTokenState Create(SandboxApiTokenSeed seed)
    {
        var issued = AddToken(seed);
        return _byId[issued.Id];
    }

    private static string IdOf(string secret)
    {
        var last = secret.LastIndexOf('.');
        return last > 0 ? secret[..last] : secret;
    }
}
