namespace TokenFunctions.Engine.Kill;

/// <summary>What an outcome means for the work around it; <see cref="OutcomeClassifier"/> gives each kind its class.</summary>
public enum OutcomeClass
{
    /// <summary>Done as asked (disabled, already disabled, enabled, or would be under a dry run).</summary>
    Succeeded,

    /// <summary>Final, and no retry would change it (not found, protected, unsupported); a person may still have something to do.</summary>
    Settled,

    /// <summary>Final for automation but a live token is left behind: a human must act, then resubmit.</summary>
    NeedsHuman,

    /// <summary>Transient: trying again later can succeed.</summary>
    Retry,
}
