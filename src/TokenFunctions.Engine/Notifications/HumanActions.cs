using TokenFunctions.Engine.Kill;

namespace TokenFunctions.Engine.Notifications;

/// <summary>What a person must still do for an outcome the engine could not finish on its own.</summary>
public static class HumanActions
{
    /// <summary>The instruction for <paramref name="outcome"/>, or null when nothing is left for a human (<see cref="OutcomeClassifier"/>).</summary>
    public static string? For(TokenOutcomeKind outcome) => OutcomeClassifier.HumanAction(outcome);
}
