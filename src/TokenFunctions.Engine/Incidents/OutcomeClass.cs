namespace TokenFunctions.Engine.Incidents;

/// <summary>How the queue treats one token's outcome; see <see cref="OutcomeClassifier"/>.</summary>
internal enum OutcomeClass
{
    Succeeded,
    Settled,
    NeedsHuman,
    Retry,
}
