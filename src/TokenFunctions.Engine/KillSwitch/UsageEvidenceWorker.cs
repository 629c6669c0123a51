using Microsoft.Extensions.Hosting;

namespace TokenFunctions.Engine.KillSwitch;

/// <summary>Drains <see cref="UsageEvidenceQueue"/> in the background, so gathering evidence never delays a kill.</summary>
public sealed class UsageEvidenceWorker(UsageEvidenceQueue queue) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                await queue.DrainAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: evidence not yet gathered is lost; the kills it describes are done and audited.
        }
    }
}
