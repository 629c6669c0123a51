using TokenFunctions.Engine.Incidents.Ledger;
using TokenFunctions.Engine.Incidents.Messages;

namespace TokenFunctions.Engine.Incidents.Handlers;

/// <summary>
/// <c>disable</c>: every listed token through the kill, skipping tokens the ledger holds as finished for this
/// incident. Tokens that need a human are tried again on every delivery (the credential may have been fixed meanwhile).
/// </summary>
internal sealed class DisableHandler : IIncidentHandler
{
    private readonly LeakBatchRunner _runner;

    public DisableHandler(LeakBatchRunner runner) => _runner = runner;

    public string LedgerAction(IncidentMessage message) => message.DryRun ? LedgerActions.DisableDryRun : LedgerActions.Disable;

    public async Task<WorkOutcome> RunAsync(IncidentWork work, CancellationToken cancellationToken)
    {
        var message = (DisableMessage)work.Message;
        work.Update(p => p with { NeedsHuman = [], NeedsHumanCount = 0 });
        var pending = IncidentLeaks.FromDisable(message, work.Delivery.EnqueuedTime).Where(l => !work.IsFinished(l.TokenId)).ToList();
        var result = await _runner.RunAsync(work, pending, stopWhenBatchFails: false, cancellationToken).ConfigureAwait(false);
        if (result.LeaseLost)
        {
            return WorkOutcome.Lost;
        }

        return new WorkOutcome
        {
            Failing = result.Failing,
            BudgetSpent = result.BudgetSpent,
            Unfinished = result.Unattempted > 0 ? [$"{result.Unattempted:N0} token(s) not tried yet"] : [],
        };
    }
}
