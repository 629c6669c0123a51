using System.Collections.Frozen;
using TokenFunctions.Engine.Kill;

namespace TokenFunctions.Engine.Rotation;

/// <summary>
/// The one table of what each <see cref="RotationOutcome"/> means: its <see cref="OutcomeClass"/>, which the incident
/// queue acts on (<see cref="QueuedRotationRequestHandler"/>: retry, dead-letter for a human, or finish), and how the
/// CLI's exit code reads it. The exit differs from the class on purpose where a script needs to know more: a rotation
/// that is pending on Dynatrace or Key Vault is "unreachable", while one another run holds, one rolled back and one that
/// failed for good are errors (the queue retries the first and hands the other two to a human).
/// </summary>
public static class RotationOutcomeClassifier
{
    /// <summary>Every outcome, in declaration order.</summary>
    public static IReadOnlyList<(RotationOutcome Outcome, OutcomeClass Class, OutcomeExit Exit)> Rules { get; } =
    [
        (RotationOutcome.Rotated, OutcomeClass.Succeeded, OutcomeExit.Ok),
        (RotationOutcome.AlreadyRotated, OutcomeClass.Succeeded, OutcomeExit.Ok),
        (RotationOutcome.InProgress, OutcomeClass.Retry, OutcomeExit.Error),
        (RotationOutcome.Pending, OutcomeClass.Retry, OutcomeExit.Unreachable),
        (RotationOutcome.NotManaged, OutcomeClass.Settled, OutcomeExit.NotFound),
        (RotationOutcome.Invalid, OutcomeClass.NeedsHuman, OutcomeExit.NeedsHuman),
        (RotationOutcome.Refused, OutcomeClass.NeedsHuman, OutcomeExit.NeedsHuman),
        (RotationOutcome.RolledBack, OutcomeClass.NeedsHuman, OutcomeExit.Error),
        (RotationOutcome.Failed, OutcomeClass.NeedsHuman, OutcomeExit.Error),
        (RotationOutcome.CreationDisabled, OutcomeClass.NeedsHuman, OutcomeExit.NeedsHuman),
    ];

    private static readonly FrozenDictionary<RotationOutcome, (OutcomeClass Class, OutcomeExit Exit)> ByOutcome =
        Rules.ToFrozenDictionary(r => r.Outcome, r => (r.Class, r.Exit));

    public static OutcomeClass Classify(RotationOutcome outcome) => Row(outcome).Class;

    /// <summary>How the CLI's exit code reads <paramref name="outcome"/>.</summary>
    public static OutcomeExit Exit(RotationOutcome outcome) => Row(outcome).Exit;

    private static (OutcomeClass Class, OutcomeExit Exit) Row(RotationOutcome outcome) =>
        ByOutcome.TryGetValue(outcome, out var row) ? row : throw new InvalidOperationException($"Unknown rotation outcome {outcome}.");
}
