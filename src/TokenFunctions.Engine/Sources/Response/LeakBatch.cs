using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.KillSwitch;

namespace TokenFunctions.Engine.Sources.Response;

/// <summary>The leaks one accepted request reported, with what the hand-off message needs to carry.</summary>
public sealed record LeakBatch(string Source, string CorrelationId, IReadOnlyList<Leak> Leaks)
{
    public string? Reason { get; init; }

    public string? Location { get; init; }

    public DateTimeOffset? DetectedAt { get; init; }

    public string? Environment { get; init; }

    /// <summary>
    /// The GitHub alert the leaks came from, carried by a hand-off so the queue resolves the alert once it has disabled
    /// the rest. Only the GitHub alert webhook sets it.
    /// </summary>
    public GitHubAlertReference? GitHubAlert { get; init; }
}
