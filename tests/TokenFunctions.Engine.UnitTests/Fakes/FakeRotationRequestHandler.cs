using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Handlers;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.UnitTests.Fakes;

/// <summary>
/// The one <see cref="IRotationRequestHandler"/> fake: records every call (<see cref="Calls"/>) and answers what
/// <see cref="Rotate"/> decides for a token on its n-th rotate call (rotated by default). A leaked replacement is answered
/// by <see cref="ReplaceLeaked"/> when set, otherwise unavailable, as a handler without leak rotation answers.
/// </summary>
public sealed class FakeRotationRequestHandler : IRotationRequestHandler
{
    private readonly Lock _gate = new();
    private readonly List<RotationCall> _calls = [];

    /// <summary>The answer to a rotate call for a token on its n-th (1-based) rotate call.</summary>
    public Func<TokenId, int, RotationRequestResult> Rotate { get; set; } = (_, _) => RotationRequestResult.Rotated();

    /// <summary>The answer to a leaked replacement for a token on its n-th (1-based) such call; unavailable when null.</summary>
    public Func<TokenId, int, RotationRequestResult>? ReplaceLeaked { get; set; }

    public IReadOnlyList<RotationCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    public Task<RotationRequestResult> RotateAsync(TokenId tokenId, string incidentId, string requestedBy, CancellationToken cancellationToken) =>
        Task.FromResult(Rotate(tokenId, Record(new RotationCall(tokenId, incidentId, requestedBy, Leaked: false))));

    public Task<RotationRequestResult> ReplaceLeakedAsync(TokenId tokenId, string incidentId, string requestedBy, CancellationToken cancellationToken)
    {
        var attempt = Record(new RotationCall(tokenId, incidentId, requestedBy, Leaked: true));
        return Task.FromResult(ReplaceLeaked is { } replace
            ? replace(tokenId, attempt)
            : RotationRequestResult.Unavailable(UnavailableRotationRequestHandler.Description));
    }

    /// <summary>Records the call; returns how many calls of its kind its token has had, this one included.</summary>
    private int Record(RotationCall call)
    {
        lock (_gate)
        {
            _calls.Add(call);
            return _calls.Count(c => c.Id == call.Id && c.Leaked == call.Leaked);
        }
    }

    public sealed record RotationCall(TokenId Id, string IncidentId, string RequestedBy, bool Leaked);
}
