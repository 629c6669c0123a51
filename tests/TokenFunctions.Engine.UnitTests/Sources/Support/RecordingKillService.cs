using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Tests.Sources.Support;

/// <summary>Records every call; disables everything unless <see cref="Behavior"/> says otherwise.</summary>
public sealed class RecordingKillService : IKillService
{
    private readonly List<KillRequest> _requests = [];
    private readonly Lock _gate = new();

    public Func<KillRequest, CancellationToken, Task<KillResult>> Behavior { get; set; } = (r, _) => Task.FromResult(Respond(r, TokenOutcomeKind.Disabled));

    /// <summary>Completed when the first disable call arrives.</summary>
    public TaskCompletionSource Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

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

    public int CallCount => Requests.Count;

    public IEnumerable<Leak> AllLeaks => Requests.SelectMany(r => r.Leaks);

    public static KillResult Respond(KillRequest request, TokenOutcomeKind kind) =>
        new(request.Leaks.Select(l => l.TokenId).Distinct().Select(id => new TokenOutcome { TokenId = id, Outcome = kind, Fingerprint = null }).ToList());

    public Task<KillResult> DisableAsync(KillRequest request, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _requests.Add(request);
        }

        Called.TrySetResult();
        return Behavior(request, cancellationToken);
    }

    public Task<TokenOutcome> EnableAsync(TokenId tokenId, string? ownerHint, string correlationId, string requestedBy, string reason, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Sources never re-enable tokens.");
}
