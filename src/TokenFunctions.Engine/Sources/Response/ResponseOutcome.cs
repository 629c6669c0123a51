using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Sources.Response;

/// <summary>What happened inline, what was handed to the incident queue, and whether that hand-off failed.</summary>
public sealed record ResponseOutcome(IReadOnlyList<TokenOutcome> Outcomes, IReadOnlyList<TokenId> Queued, bool HandOffFailed, bool DeadlineExpired)
{
    public static ResponseOutcome Empty { get; } = new([], [], false, false);

    /// <summary>Every token is disabled (or already was) and nothing is left for the queue.</summary>
    public bool AllDisabled =>
        Queued.Count == 0 && Outcomes.Count > 0
        && Outcomes.All(o => o.Outcome is TokenOutcomeKind.Disabled or TokenOutcomeKind.AlreadyDisabled);

    public int NeedsHuman => Outcomes.Count(o => o.NeedsHuman);
}
