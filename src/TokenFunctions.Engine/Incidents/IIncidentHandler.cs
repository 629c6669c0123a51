namespace TokenFunctions.Engine.Incidents;

/// <summary>Carries out one message type inside an <see cref="IncidentWork"/>.</summary>
internal interface IIncidentHandler
{
    /// <summary>Which ledger the message's tokens are recorded in.</summary>
    string LedgerAction(IncidentMessage message);

    Task<WorkOutcome> RunAsync(IncidentWork work, CancellationToken cancellationToken);
}
