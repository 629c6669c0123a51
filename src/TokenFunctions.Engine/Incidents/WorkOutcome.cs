using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Incidents;

/// <summary>What one delivery's work left behind; <see cref="IncidentProcessor"/> turns it into a settlement.</summary>
internal sealed record WorkOutcome
{
    public static WorkOutcome Finished { get; } = new();

    public static WorkOutcome Lost { get; } = new() { LeaseLost = true };

    /// <summary>Tokens whose last attempt failed transiently.</summary>
    public IReadOnlyList<TokenId> Failing { get; init; } = [];

    /// <summary>Secret-free lines naming work not reached (sources, pages, untried tokens).</summary>
    public IReadOnlyList<string> Unfinished { get; init; } = [];

    public bool BudgetSpent { get; init; }

    /// <summary>Another delivery owns this work now: stop without touching it.</summary>
    public bool LeaseLost { get; init; }

    /// <summary>Retrying cannot help and nothing else should run: dead-letter with this reason at once.</summary>
    public IncidentMessageError? Terminal { get; init; }

    public bool WorkRemains => Failing.Count > 0 || Unfinished.Count > 0 || BudgetSpent;
}
