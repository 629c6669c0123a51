using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace TokenFunctions.SandboxKit;

/// <summary>
/// Turns the next scheduled fault, if any, into what the client meets: a wait, an answer, a hang or a dropped connection.
/// The answer's body is the sandbox's own (each service has its error wire form); everything else is the same for every
/// sandbox, including how an unanswered request is journaled.
/// </summary>
public static class FaultResponder
{
    /// <summary>
    /// No response went out and nothing was applied (the client went away during a wait, the sandbox stopped, or the fault
    /// cut the connection): the response status, which the journal records, is 499 "client closed request", never the 200
    /// a response starts with, so a test that counts successful writes does not count a request a killed client left half way.
    /// </summary>
    public const int ClientClosedRequest = 499;

    /// <summary>
    /// Applies the latency and the next fault of <paramref name="faults"/> for <paramref name="target"/>. Returns null when
    /// the handler must run (no fault, or a delay that ran out); otherwise the kind of fault that took the request: a
    /// <see cref="FaultKind.Status"/> fault answered through <paramref name="answer"/> (after a <c>Retry-After</c> header
    /// when the fault has one), any other kind left the request unanswered (499, connection dropped). A latency the client
    /// does not wait out counts as a <see cref="FaultKind.Delay"/>.
    /// </summary>
    public static async Task<FaultKind?> ApplyAsync<TFault, TTarget>(
        HttpContext context,
        FaultSchedule<TFault, TTarget> faults,
        TTarget target,
        CancellationToken stopping,
        Func<TFault, Task> answer)
        where TFault : InjectedFault<TFault>, new()
        where TTarget : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(faults);
        ArgumentNullException.ThrowIfNull(answer);
        if (faults.IsQuiet)
        {
            return null;
        }

        var (fault, latency) = faults.Next(target);
        if (latency > TimeSpan.Zero && !await WaitAsync(context, latency, stopping))
        {
            return NotAnswered(context, FaultKind.Delay);
        }

        switch (fault?.Kind)
        {
            case null:
                return null;

            case FaultKind.Delay:
                return await WaitAsync(context, fault.Delay, stopping) ? null : NotAnswered(context, FaultKind.Delay);

            case FaultKind.Hang:
                await WaitAsync(context, Timeout.InfiniteTimeSpan, stopping);
                return NotAnswered(context, FaultKind.Hang);

            case FaultKind.Reset:
                return NotAnswered(context, FaultKind.Reset);

            default:
                if (fault.RetryAfter is { } after)
                {
                    context.Response.Headers.RetryAfter = ((long)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                await answer(fault);
                return FaultKind.Status;
        }
    }

    private static FaultKind NotAnswered(HttpContext context, FaultKind kind)
    {
        context.Abort();
        if (!context.Response.HasStarted)
        {
            context.Response.StatusCode = ClientClosedRequest;
        }

        return kind;
    }

    /// <summary>False when the wait ended because the client went away or the sandbox stopped.</summary>
    private static async Task<bool> WaitAsync(HttpContext context, TimeSpan delay, CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            await Task.Delay(delay, linked.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
