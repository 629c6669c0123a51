using TokenFunctions.Engine.KillSwitch;

namespace TokenFunctions.Engine.Sources.Response;

/// <summary>The leaks one accepted request reported, with what the hand-off message needs to carry.</summary>
public sealed record LeakBatch(string Source, string CorrelationId, IReadOnlyList<Leak> Leaks)
{
    public string? Reason { get; init; }

    public string? Location { get; init; }

    public DateTimeOffset? DetectedAt { get; init; }

    public string? Environment { get; init; }
}
