using Microsoft.Extensions.Time.Testing;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.UnitTests.Fakes;

/// <summary>
/// The one <see cref="IKillService"/> fake: records every call and answers what the test decides, per leak and attempt
/// (<see cref="Decide"/>) or for a whole request (<see cref="Behavior"/>). Each token costs <see cref="CostPerToken"/> on
/// the fake clock, which is how work budgets run out in tests without sleeping.
/// </summary>
public sealed class RecordingKillService : IKillService
{
    private readonly Lock _gate = new();
    private readonly FakeTimeProvider? _time;
    private readonly List<KillRequest> _requests = [];
    private readonly List<(TokenId Id, TokenOutcomeKind Outcome)> _disableOutcomes = [];
    private readonly List<EnableCall> _enableCalls = [];
    private readonly Dictionary<TokenId, int> _attempts = [];

    public RecordingKillService(FakeTimeProvider? time = null) => _time = time;

    public TimeSpan CostPerToken { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The outcome for a leak on its n-th attempt (1-based).</summary>
    public Func<Leak, int, TokenOutcomeKind> Decide { get; set; } = (leak, _) => TokenOutcomeKind.Disabled;

    /// <summary>When set, answers the whole disable request instead of <see cref="Decide"/> (the request is still recorded).</summary>
    public Func<KillRequest, CancellationToken, Task<KillResult>>? Behavior { get; set; }

    /// <summary>Completed when the first disable call arrives.</summary>
    public TaskCompletionSource Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Func<TokenId, int, TokenOutcomeKind> DecideEnable { get; set; } = (_, _) => TokenOutcomeKind.Disabled;

    /// <summary>Disabled tokens are managed credentials: their outcome asks for a leak rotation when the caller defers it.</summary>
    public bool ManagedCredentials { get; set; }

    /// <summary>Detail text for every outcome; tests put secrets here to prove they are redacted downstream.</summary>
    public Func<TokenId, string?> Detail { get; set; } = _ => null;

    public IReadOnlyList<KillRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    public IReadOnlyList<Leak> Leaks => [.. Requests.SelectMany(r => r.Leaks)];

    public int CallCount => Requests.Count;

    public IEnumerable<Leak> AllLeaks => Requests.SelectMany(r => r.Leaks);

    public IReadOnlyList<EnableCall> EnableCalls
    {
        get
        {
            lock (_gate)
            {
                return [.. _enableCalls];
            }
        }
    }

    /// <summary>Tokens that ended disabled (or would-disable), with how many times each did: the "acted on" count.</summary>
    public IReadOnlyDictionary<TokenId, int> Disabled
    {
        get
        {
            lock (_gate)
            {
                return _disableOutcomes
                    .Where(o => o.Outcome is TokenOutcomeKind.Disabled or TokenOutcomeKind.WouldDisable)
                    .GroupBy(o => o.Id)
                    .ToDictionary(g => g.Key, g => g.Count());
            }
        }
    }

    public int Attempts(TokenId id)
    {
        lock (_gate)
        {
            return _attempts.GetValueOrDefault(id);
        }
    }

    /// <summary>One outcome of <paramref name="kind"/> per distinct token of <paramref name="request"/>, nothing else set.</summary>
    public static KillResult Respond(KillRequest request, TokenOutcomeKind kind) =>
        new(request.Leaks.Select(l => l.TokenId).Distinct().Select(id => new TokenOutcome { TokenId = id, Outcome = kind, Fingerprint = null }).ToList());

    public Task<KillResult> DisableAsync(KillRequest request, CancellationToken cancellationToken)
    {
        if (Behavior is { } behavior)
        {
            lock (_gate)
            {
                _requests.Add(request);
            }

            Called.TrySetResult();
            return behavior(request, cancellationToken);
        }

        var outcomes = new List<TokenOutcome>();
        lock (_gate)
        {
            _requests.Add(request);
            foreach (var leak in request.Leaks.DistinctBy(l => l.TokenId))
            {
                var attempt = _attempts[leak.TokenId] = _attempts.GetValueOrDefault(leak.TokenId) + 1;
                var kind = Decide(leak, attempt);
                if (kind == TokenOutcomeKind.Disabled && request.DryRun)
                {
                    kind = TokenOutcomeKind.WouldDisable;
                }

                _disableOutcomes.Add((leak.TokenId, kind));
                outcomes.Add(new TokenOutcome
                {
                    TokenId = leak.TokenId,
                    Fingerprint = leak.Fingerprint,
                    Outcome = kind,
                    Owner = leak.OwnerHint,
                    Detail = Detail(leak.TokenId),
                    LeakRotationPending = ManagedCredentials && request.DeferLeakRotation && kind is TokenOutcomeKind.Disabled or TokenOutcomeKind.AlreadyDisabled,
                });
            }
        }

        Called.TrySetResult();
        _time?.Advance(CostPerToken * request.Leaks.Count);
        return Task.FromResult(new KillResult(outcomes));
    }

    public Task<TokenOutcome> EnableAsync(TokenId tokenId, string? ownerHint, string correlationId, string requestedBy, string reason, CancellationToken cancellationToken)
    {
        TokenOutcomeKind kind;
        lock (_gate)
        {
            var attempt = _attempts[tokenId] = _attempts.GetValueOrDefault(tokenId) + 1;
            kind = DecideEnable(tokenId, attempt);
            _enableCalls.Add(new EnableCall(tokenId, ownerHint, correlationId, requestedBy, reason, kind));
        }

        _time?.Advance(CostPerToken);
        return Task.FromResult(new TokenOutcome { TokenId = tokenId, Outcome = kind, Owner = ownerHint, Detail = Detail(tokenId) });
    }

    public sealed record EnableCall(TokenId TokenId, string? OwnerHint, string CorrelationId, string RequestedBy, string Reason, TokenOutcomeKind Outcome);
}
