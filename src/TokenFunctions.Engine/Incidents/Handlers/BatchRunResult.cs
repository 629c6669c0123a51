using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Incidents.Handlers;

/// <summary>What <see cref="LeakBatchRunner"/> left: transient failures, tokens not tried because the budget ran out, a lost lease.</summary>
internal sealed record BatchRunResult(IReadOnlyList<TokenId> Failing, int Unattempted, bool BudgetSpent, bool LeaseLost)
{
    /// <summary>A whole batch failed and the run stopped early (only with <c>stopWhenBatchFails</c>).</summary>
    public bool Stopped { get; init; }
}
