namespace TokenFunctions.Engine.Kill;

/// <summary>One typed outcome per leak of a <see cref="KillRequest"/>, in the request's order.</summary>
public sealed record KillResult(IReadOnlyList<TokenOutcome> Outcomes)
{
    public int Count(TokenOutcomeKind kind) => Outcomes.Count(o => o.Outcome == kind);

    public bool AllSucceeded => Outcomes.All(o => o.IsSuccess);
}
