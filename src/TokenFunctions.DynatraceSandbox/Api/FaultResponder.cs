using System.Globalization;
using Microsoft.AspNetCore.Http;
using TokenFunctions.DynatraceSandbox.State;

namespace TokenFunctions.DynatraceSandbox.Api;

/// <summary>Turns the next configured fault, if any, into a response (or a hang, or an aborted connection).</summary>
internal static class FaultResponder
{
    /// <summary>True when the fault answered the request and the handler must not run.</summary>
    public static async Task<bool> ApplyAsync(HttpContext context, SandboxFaults faults, SandboxEndpoint endpoint, SandboxState state)
    {
        var (fault, latency) = faults.Next(endpoint);
        if (latency > TimeSpan.Zero && !await WaitAsync(context, latency, state))
        {
            return NotAnswered(context);
        }

        if (fault is null)
        {
            return false;
        }

        switch (fault.Kind)
        {
            case SandboxFaultKind.Delay:
                return !await WaitAsync(context, fault.Delay, state) && NotAnswered(context);

            case SandboxFaultKind.Hang:
                await WaitAsync(context, Timeout.InfiniteTimeSpan, state);
                context.Abort();
                return NotAnswered(context);

            case SandboxFaultKind.Reset:
                context.Abort();
                return NotAnswered(context);

            default:
                WriteHeaders(context, fault, state.Clock.GetUtcNow());
                if (fault.EmptyBody)
                {
                    SandboxHttp.NoContent(context, fault.StatusCode);
                }
                else
                {
                    await SandboxHttp.WriteErrorAsync(context, fault.StatusCode, MessageFor(fault.StatusCode));
                }

                return true;
        }
    }

    private static void WriteHeaders(HttpContext context, SandboxFault fault, DateTimeOffset now)
    {
        var headers = context.Response.Headers;
        if (fault.RetryAfter is { } after)
        {
            headers.RetryAfter = ((long)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        if (fault.RetryAfterAsDate is { } afterDate)
        {
            headers.RetryAfter = (now + afterDate).ToString("r", CultureInfo.InvariantCulture);
        }

        if (fault.RateLimitResetIn is { } reset)
        {
            var at = now + reset;
            var value = fault.ResetUnit switch
            {
                RateLimitResetUnit.Seconds => at.ToUnixTimeSeconds(),
                RateLimitResetUnit.Milliseconds => at.ToUnixTimeMilliseconds(),
                _ => (at - DateTimeOffset.UnixEpoch).Ticks / 10,
            };
            headers["X-RateLimit-Reset"] = value.ToString(CultureInfo.InvariantCulture);
        }

        if (fault.Headers is not null)
        {
            foreach (var (name, value) in fault.Headers)
            {
                headers[name] = value;
            }
        }
    }

    /// <summary>
    /// No response went out and nothing was applied (the client went away, the sandbox stopped, or the fault cut the
    /// connection): the journal records 499, "client closed request", never the 200 a response starts with, so a test
    /// that counts successful writes does not count a request a killed client left half way.
    /// </summary>
    public const int ClientClosedRequest = 499;

    private static bool NotAnswered(HttpContext context)
    {
        if (!context.Response.HasStarted)
        {
            context.Response.StatusCode = ClientClosedRequest;
        }

        return true;
    }

    /// <summary>False when the wait ended because the client went away or the sandbox stopped.</summary>
    private static async Task<bool> WaitAsync(HttpContext context, TimeSpan delay, SandboxState state)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, state.Stopping.Token);
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

    private static string MessageFor(int status) => status switch
    {
        429 => "Too many requests. Reached the limit of the environment's request queue.",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => $"Injected HTTP {status}",
    };
}
