using Microsoft.Azure.Functions.Worker;
using TokenFunctions.Engine.Rotation.Jobs;

namespace TokenFunctions.Rotation;

/// <summary>Finishes interrupted rotations and disables orphans (tokens named with a rotation id whose secret is not in Key Vault). Schedule: app setting <c>ReconciliationSchedule</c> (six-field NCRONTAB, UTC).</summary>
public sealed class ReconciliationTimer(ReconciliationJob job)
{
    [Function(nameof(ReconciliationTimer))]
    public Task Run([TimerTrigger("%ReconciliationSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        job.RunAsync(cancellationToken);
}
