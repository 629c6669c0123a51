namespace TokenFunctions.Engine.Rotation;

/// <summary>
/// Called at every <see cref="RotationCheckpoint"/>. Production registers <see cref="NoRotationCheckpoints"/>; the crash
/// tests register one that throws at a chosen point, which is how "the process died here" is proven recoverable.
/// </summary>
public interface IRotationCheckpoints
{
    ValueTask ReachedAsync(RotationCheckpoint checkpoint, string secretName, CancellationToken cancellationToken);
}

public sealed class NoRotationCheckpoints : IRotationCheckpoints
{
    public ValueTask ReachedAsync(RotationCheckpoint checkpoint, string secretName, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
