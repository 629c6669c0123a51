namespace TokenFunctions.Engine.Incidents.Ledger;

public enum IncidentProgressState
{
    InProgress = 0,

    /// <summary>Finished: a duplicate of this work is completed without acting.</summary>
    Completed,

    /// <summary>Dead-lettered with work left; a resubmitted copy restarts listing and skips finished tokens.</summary>
    DeadLettered,
}
