using TokenFunctions.Engine.Leaks;

namespace TokenFunctions.Engine.Rotation;

/// <summary>Why a rotation runs; decides whether the old token gets an overlap window.</summary>
public enum RotationTrigger
{
    /// <summary>Age or near expiry: the old token keeps working for the credential's overlap window.</summary>
    Scheduled = 0,

    /// <summary>The old token leaked: it is disabled already and gets no overlap.</summary>
    Leak,

    /// <summary>Asked for (queue message, operator): treated like a scheduled rotation.</summary>
    Manual,

    /// <summary>The current token no longer works (disabled, deleted, expired): no overlap, there is nothing to keep.</summary>
    CurrentUnusable,
}
