using Microsoft.Azure.Functions.Worker;
using TokenFunctions.Engine.Rotation.Jobs;

namespace TokenFunctions.Rotation;

/// <summary>Reports tokens that never expire, are long unused, or are disabled but not deleted. Schedule: app setting <c>HygieneSchedule</c> (six-field NCRONTAB, UTC).</summary>
public sealed class HygieneReportTimer(HygieneReportJob job)
{
    [Function(nameof(HygieneReportTimer))]
    public Task Run([TimerTrigger("%HygieneSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        job.RunAsync(cancellationToken);
}
