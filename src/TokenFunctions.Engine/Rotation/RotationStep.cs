namespace TokenFunctions.Engine.Rotation;

/// <summary>
/// The durable steps of one rotation (AWS Secrets Manager's createSecret / setSecret / testSecret / finishSecret, adapted to
/// a service that generates the secret itself). The step is written before its side effects, so a crash at any point
/// leaves a record that says exactly what to check and redo.
/// </summary>
public enum RotationStep
{
    /// <summary>Write-ahead: about to create the token and store it. On resume: adopt what Key Vault holds, kill what it does not, create again.</summary>
    Creating = 0,

    /// <summary>The new token is Key Vault's newest version (stage pending). Next: verify it.</summary>
    Stored,

    /// <summary>The new token works. Next: mark the version current and retire the old token.</summary>
    Verified,

    /// <summary>Verification failed: restore the old value (when it still works) and kill the new token.</summary>
    RollingBack,

    /// <summary>
    /// The new secret could not be stored (or the credential changed under the rotation): kill every token carrying this
    /// rotation id, then give up this attempt. No usable token may exist whose secret nobody holds.
    /// </summary>
    Abandoning,
}
