using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace TokenFunctions.Engine.Sources.Response;

/// <summary>
/// Offers the follow-ups <see cref="FollowUpHandOff"/> keeps to the incident queue again, with exponential backoff from
/// 2 s to 5 min while the queue refuses them, until it takes them. The hand-off (and so the queue) is resolved only when a
/// follow-up is waiting: a host without a queue, like the CLI, runs this idle.
/// </summary>
public sealed class FollowUpRetryService(PendingFollowUps pending, IServiceProvider services, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = FirstDelay;
        try
        {
            while (await pending.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
                var before = pending.Count;
                var left = await services.GetRequiredService<FollowUpHandOff>().RetryPendingAsync(stoppingToken).ConfigureAwait(false);
                delay = left == 0 || left < before ? FirstDelay : TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, delay.Ticks * 2));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what waits is in the HandOffFailed audit records and the warning log lines.
        }
    }
}
