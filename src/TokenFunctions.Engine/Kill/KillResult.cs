namespace TokenFunctions.Engine.Kill;

/// <summary>One typed outcome per leak of a <see cref="KillRequest"/>, in the request's order.</summary>
public sealed record KillResult(IReadOnlyList<TokenOutcome> Outcomes);
