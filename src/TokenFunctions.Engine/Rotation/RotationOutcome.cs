namespace TokenFunctions.Engine.Rotation;

/// <summary>How a request to rotate one credential ended.</summary>
public enum RotationOutcome
{
    /// <summary>A new token is in Key Vault, verified and current.</summary>
    Rotated = 0,

    /// <summary>The credential's current token is no longer the one the request was about: someone rotated it first.</summary>
    AlreadyRotated,

    /// <summary>Another run holds the credential and is rotating it now.</summary>
    InProgress,

    /// <summary>Stopped at a durable step (Dynatrace or Key Vault unavailable); the next timer run resumes it.</summary>
    Pending,

    /// <summary>The secret is not (or no longer) a managed credential.</summary>
    NotManaged,

    /// <summary>The secret's tags or value are wrong; the detail says what to fix.</summary>
    Invalid,

    /// <summary>Cannot rotate as configured (e.g. the app's primary management credential without a secondary one).</summary>
    Refused,

    /// <summary>The new token failed verification: the old value is back in Key Vault and the new token is gone.</summary>
    RolledBack,

    /// <summary>Failed for good this time (e.g. the Key Vault write was refused, so the created token was disabled and deleted).</summary>
    Failed,

    /// <summary>
    /// The environment refuses to create classic API tokens ("Phase 3"): nothing was changed, the old token keeps working,
    /// and the scheduled run does not try again until the credential changes. The detail tells the operator to move the
    /// credential to a platform token.
    /// </summary>
    CreationDisabled,
}
