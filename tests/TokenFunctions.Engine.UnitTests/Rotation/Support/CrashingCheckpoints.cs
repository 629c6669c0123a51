using TokenFunctions.Engine.Rotation;

namespace TokenFunctions.Engine.UnitTests.Rotation.Support;

/// <summary>Kills "the process" (throws) the first time a chosen checkpoint is reached, optionally after skipping some.</summary>
public sealed class CrashingCheckpoints : IRotationCheckpoints
{
    public RotationCheckpoint? CrashAt { get; set; }

    public int Skip { get; set; }

    public bool Crashed { get; private set; }

    public List<RotationCheckpoint> Reached { get; } = [];

    public ValueTask ReachedAsync(RotationCheckpoint checkpoint, string secretName, CancellationToken cancellationToken)
    {
        lock (Reached)
        {
            Reached.Add(checkpoint);
        }

        if (!Crashed && CrashAt == checkpoint)
        {
            if (Skip-- <= 0)
            {
                Crashed = true;
                throw new SimulatedCrashException(checkpoint);
            }
        }

        return ValueTask.CompletedTask;
    }
}

public sealed class SimulatedCrashException(RotationCheckpoint checkpoint) : Exception($"simulated crash at {checkpoint}")
{
    public RotationCheckpoint Checkpoint { get; } = checkpoint;
}
