namespace TokenFunctions.Engine.Rotation;

/// <summary>The points between a side effect and the durable record of it: where a crash leaves work half done.</summary>
public enum RotationCheckpoint
{
    /// <summary>The write-ahead record is saved; nothing created yet.</summary>
    AfterWriteAhead,

    /// <summary>Dynatrace created the token; its secret exists only in memory.</summary>
    AfterCreate,

    /// <summary>The secret is in Key Vault; the state row still says Creating.</summary>
    AfterKeyVaultWrite,

    /// <summary>The row says Stored; not verified yet.</summary>
    AfterStoredSaved,

    /// <summary>Verified; the row still says Stored.</summary>
    AfterVerify,

    /// <summary>The row says Verified; the version is still tagged pending.</summary>
    AfterVerifiedSaved,

    /// <summary>The version is tagged current; the old token is not yet scheduled for retirement.</summary>
    AfterPromote,

    /// <summary>Rollback: the old value is back in Key Vault; the new token still works.</summary>
    AfterRestore,

    /// <summary>A token was disabled (retirement, orphan, compensation); the row does not say so yet.</summary>
    AfterDisable,

    /// <summary>A token was deleted; the row does not say so yet.</summary>
    AfterDelete,
}
