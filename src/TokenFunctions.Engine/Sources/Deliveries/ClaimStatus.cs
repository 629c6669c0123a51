namespace TokenFunctions.Engine.Sources.Deliveries;

public enum ClaimStatus
{
    /// <summary>This caller owns the key and must complete or release it.</summary>
    Claimed,

    /// <summary>A previous delivery finished: answer as before, do not act again.</summary>
    AlreadyCompleted,

    /// <summary>Another attempt holds an unexpired lease.</summary>
    InProgress,
}
