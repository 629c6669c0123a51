namespace TokenFunctions.Engine.Incidents.Handlers;

public enum RotationRequestStatus
{
    /// <summary>A replacement exists (and is stored) and the old token is retired.</summary>
    Rotated = 0,

    /// <summary>The token is not a managed credential: nothing to rotate. Final.</summary>
    NotManaged,

    /// <summary>Transient failure: the delivery is abandoned and retried.</summary>
    Failed,

    /// <summary>Retrying cannot help (credential refused, conflicting state): a human must act. Dead-lettered <c>NeedsHuman</c>.</summary>
    NeedsHuman,

    /// <summary>This deployment has no rotation capability. Dead-lettered <c>RotationUnavailable</c>.</summary>
    Unavailable,
}
