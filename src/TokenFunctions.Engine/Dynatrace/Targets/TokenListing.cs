namespace TokenFunctions.Engine.Dynatrace.Targets;

/// <summary>
/// The tokens a target listed, and whether the listing is complete. A listing that failed part-way keeps what it saw:
/// acting on those is as safe as on a complete listing, and only conclusions about the unseen rest wait.
/// </summary>
public sealed record TokenListing(IReadOnlyList<TokenFacts> Tokens, DynatraceStatus Status = DynatraceStatus.Ok, DynatraceError? Error = null)
{
    public bool Complete => Status == DynatraceStatus.Ok;

    public static TokenListing Failed<T>(IReadOnlyList<TokenFacts> seen, DynatraceResult<T> failure) => new(seen, failure.Status, failure.Error);
}
