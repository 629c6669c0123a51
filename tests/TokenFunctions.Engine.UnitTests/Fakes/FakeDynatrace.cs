using System.Security.Cryptography;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.UnitTests.Fakes;

/// <summary>
/// A small in-memory Dynatrace shared by several clients: classic tokens per environment and platform tokens per account,
/// with the rules rotation depends on. It is the state behind the simulated mode of the one client fakes
/// (<see cref="EnvironmentClient"/> and <see cref="AccountClient"/> build a <see cref="FakeEnvironmentClient"/> and a
/// <see cref="FakeAccountClient"/> over it). A classic client acts as the credential its environment names (read through
/// <see cref="ResolveCredential"/>, so it sees Key Vault's newest version); a disabled or unknown acting token gets 401; a
/// token cannot disable or delete itself (400, then one retry with the secondary credential, as the real client does); a
/// created classic token is owned by the acting token's owner. Every call is recorded with the acting token, and faults
/// and gates are injectable.
/// </summary>
public sealed class FakeDynatrace
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private readonly Dictionary<string, FakeToken> _tokens = new(StringComparer.Ordinal);
    private readonly List<FakeCall> _calls = [];
    private readonly Lock _gate = new();

    public FakeDynatrace(TimeProvider timeProvider) => TimeProvider = timeProvider;

    public TimeProvider TimeProvider { get; }

    /// <summary>Reads a credential reference's current secret text (the harness points this at the Key Vault fake).</summary>
    public Func<CredentialReference, string?> ResolveCredential { get; set; } = r => r.Value;

    /// <summary>Return a failure status to make an operation fail (op names: create, get, list, disable, delete, verify, find, enable).</summary>
    public Func<string, TokenId?, DynatraceStatus?>? Fault { get; set; }

    /// <summary>Awaited before an operation runs: lets a test hold a rotation inside a Dynatrace call.</summary>
    public Func<string, Task>? Gate { get; set; }

    public IReadOnlyList<FakeCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return _calls.ToList();
            }
        }
    }

    public IReadOnlyList<FakeToken> Tokens
    {
        get
        {
            lock (_gate)
            {
                return _tokens.Values.ToList();
            }
        }
    }

    public int CreatedCount => Calls.Count(c => c.Op == "create" && c.Succeeded);

    public FakeToken? Find(TokenId id)
    {
        lock (_gate)
        {
            return _tokens.GetValueOrDefault(id.Value);
        }
    }

    public FakeToken Issue(string target, TokenKind kind, string name, IReadOnlyList<string> scopes, string owner = "alice@example.com", DateTimeOffset? expiration = null)
    {
        lock (_gate)
        {
            var token = NewToken(target, kind, name, scopes, owner, expiration);
            _tokens[token.Id.Value] = token;
            return token;
        }
    }

    /// <summary>What the kill-switch does to a leaked token.</summary>
    public void Disable(TokenId id)
    {
        lock (_gate)
        {
            _tokens[id.Value].Enabled = false;
        }
    }

    public bool IsUsable(FakeToken token) =>
        !token.Deleted && token.Enabled && (token.Expiration is not { } e || e > TimeProvider.GetUtcNow());

    /// <summary>A client of <paramref name="environment"/> whose every call goes to this Dynatrace.</summary>
    public FakeEnvironmentClient EnvironmentClient(DynatraceEnvironment environment) => new(this, environment);

    /// <summary>A client of <paramref name="account"/> whose every call goes to this Dynatrace.</summary>
    public FakeAccountClient AccountClient(DynatraceAccount account) => new(this, account);

    internal async Task<DynatraceResult<T>> RunAsync<T>(string op, TokenId? id, string target, Func<(DynatraceResult<T> Result, string? ActingTokenId)> action)
    {
        if (Gate is { } gate)
        {
            await gate(op).ConfigureAwait(false);
        }

        lock (_gate)
        {
            var fault = Fault?.Invoke(op, id);
            var (result, acting) = fault is { } status
                ? (DynatraceResult<T>.Fail(status, new DynatraceError(status == DynatraceStatus.Transient ? 503 : 400, $"simulated {status}")), null)
                : action();
            _calls.Add(new FakeCall(op, id, target, acting, result.IsOk, result.Status));
            return result;
        }
    }

    /// <summary>Under the lock: the acting token for a classic environment call, or why it cannot act.</summary>
    internal (FakeToken? Token, DynatraceStatus? Failure) Acting(CredentialReference? reference)
    {
        if (reference is null || ResolveCredential(reference) is not { } text || !TokenSecret.TryParse(text, out var secret))
        {
            return (null, DynatraceStatus.Unauthorized);
        }

        var token = _tokens.GetValueOrDefault(secret.Id.Value);
        return token is null || token.Secret != text || !IsUsable(token) ? (null, DynatraceStatus.Unauthorized) : (token, null);
    }

    internal FakeToken? Get(TokenId id, string target) =>
        _tokens.GetValueOrDefault(id.Value) is { Deleted: false } t && t.Target == target ? t : null;

    internal FakeToken? BySecret(string secret) => _tokens.Values.FirstOrDefault(t => !t.Deleted && t.Secret == secret);

    internal List<FakeToken> InTarget(string target) => _tokens.Values.Where(t => !t.Deleted && t.Target == target).OrderBy(t => t.Created).ToList();

    internal FakeToken Create(string target, TokenKind kind, string name, IReadOnlyList<string> scopes, string owner, DateTimeOffset? expiration, IReadOnlyList<string>? resources = null, IReadOnlyList<string>? tags = null, string? userUuid = null)
    {
        var token = NewToken(target, kind, name, scopes, owner, expiration);
        token.Resources = resources ?? [];
        token.Tags = tags ?? [];
        token.UserUuid = userUuid;
        _tokens[token.Id.Value] = token;
        return token;
    }

    private FakeToken NewToken(string target, TokenKind kind, string name, IReadOnlyList<string> scopes, string owner, DateTimeOffset? expiration)
    {
        var prefix = kind == TokenKind.PlatformToken ? "dt0s16" : "dt0c01";
        var publicPart = RandomText(kind == TokenKind.PlatformToken ? 8 : 24);
        var secret = $"{prefix}.{publicPart}.{RandomText(64)}";
        return new FakeToken
        {
            Id = TokenId.Parse($"{prefix}.{publicPart}"),
            Secret = secret,
            Target = target,
            Name = name,
            Scopes = scopes.ToList(),
            Owner = owner,
            Created = TimeProvider.GetUtcNow(),
            Expiration = expiration,
            Enabled = true,
        };
    }

    private static string RandomText(int length) => RandomNumberGenerator.GetString(Alphabet, length);
}

public sealed class FakeToken
{
    public required TokenId Id { get; init; }

    public required string Secret { get; init; }

    public required string Target { get; init; }

    public required string Name { get; set; }

    public List<string> Scopes { get; set; } = [];

    public IReadOnlyList<string> Resources { get; set; } = [];

    public IReadOnlyList<string> Tags { get; set; } = [];

    public string? UserUuid { get; set; }

    public required string Owner { get; init; }

    public DateTimeOffset Created { get; init; }

    public DateTimeOffset? Expiration { get; set; }

    public DateTimeOffset? LastUsed { get; set; }

    public bool Enabled { get; set; }

    public bool Deleted { get; set; }

    public TokenSecret SecretValue => TokenSecret.Parse(Secret);

    public ApiTokenInfo ToClassic() => new()
    {
        Id = Id,
        Name = Name,
        Enabled = Enabled,
        Owner = Owner,
        CreationDate = Created,
        ExpirationDate = Expiration,
        LastUsedDate = LastUsed,
        Scopes = Scopes.ToList(),
        PersonalAccessToken = false,
    };

    public PlatformTokenInfo ToPlatform() => new()
    {
        Id = Id,
        Name = Name,
        Status = Enabled ? "ACTIVE" : "INACTIVE",
        Scopes = Scopes.ToList(),
        Resources = Resources,
        Tags = Tags,
        ExpirationDate = Expiration,
        UserUuid = UserUuid,
        LastUsedAt = LastUsed,
    };
}

public sealed record FakeCall(string Op, TokenId? TokenId, string Target, string? ActingTokenId, bool Succeeded, DynatraceStatus Status);
