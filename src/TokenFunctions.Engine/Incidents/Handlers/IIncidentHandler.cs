using TokenFunctions.Engine.Incidents.Messages;

namespace TokenFunctions.Engine.Incidents.Handlers;

/// <summary>Carries out one message type inside an <see cref="IncidentWork"/>.</summary>
internal interface IIncidentHandler
{
    /// <summary>Which ledger the message's tokens are recorded in.</summary>
    string LedgerAction(IncidentMessage message);

    Task<WorkOutcome> RunAsync(IncidentWork work, CancellationToken cancellationToken);
}
