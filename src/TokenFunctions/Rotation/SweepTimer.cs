using Microsoft.Azure.Functions.Worker;
using TokenFunctions.Engine.Rotation.Jobs;

namespace TokenFunctions.Rotation;

/// <summary>Disables replaced tokens whose overlap window has ended and deletes those past the grace period. Schedule: app setting <c>SweepSchedule</c> (six-field NCRONTAB, UTC).</summary>
public sealed class SweepTimer(SweepJob job)
{
    [Function(nameof(SweepTimer))]
    public Task Run([TimerTrigger("%SweepSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        job.RunAsync(cancellationToken);
}
