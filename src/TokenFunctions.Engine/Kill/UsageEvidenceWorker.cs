using Microsoft.Extensions.Hosting;

namespace TokenFunctions.Engine.Kill;

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
            // Stopping: StopAsync drains what is left within the host's shutdown budget.
        }
    }

    /// <summary>Gathers what is still queued before stopping (a short-lived host, e.g. the CLI, exits right after a kill).</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await queue.DrainAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The shutdown budget ran out: the rest is lost; the kills it describes are done and audited.
        }

        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }
}
