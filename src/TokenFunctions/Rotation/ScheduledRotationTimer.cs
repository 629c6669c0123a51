using Microsoft.Azure.Functions.Worker;
using TokenFunctions.Engine.Rotation.Jobs;

namespace TokenFunctions.Rotation;

/// <summary>Rotates managed credentials that are due by age or near expiry. A missed or overlapping run is harmless: rotations are single-flight per credential and resumable. Schedule: app setting <c>RotationSchedule</c> (six-field NCRONTAB, UTC).</summary>
public sealed class ScheduledRotationTimer(ScheduledRotationJob job)
{
    [Function(nameof(ScheduledRotationTimer))]
    public Task Run([TimerTrigger("%RotationSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        job.RunAsync(cancellationToken);
}
