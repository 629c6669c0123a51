using System.Globalization;
using Microsoft.AspNetCore.Http;
using TokenFunctions.DynatraceSandbox.State;
using Kit = TokenFunctions.SandboxKit;

namespace TokenFunctions.DynatraceSandbox.Api;

/// <summary>
/// Dynatrace's answers to injected faults: its rate-limit headers and its <c>ErrorEnvelope</c> (or no body). Waiting,
/// hanging, dropping the connection and the 499 of an unanswered request are the shared <see cref="Kit.FaultResponder"/>'s.
/// </summary>
internal static class FaultResponder
{
    /// <summary>True when the fault took the request (answered it, or left it unanswered) and the handler must not run.</summary>
    public static async Task<bool> ApplyAsync(HttpContext context, SandboxFaults faults, SandboxEndpoint endpoint, SandboxState state) =>
        await Kit.FaultResponder.ApplyAsync(context, faults, endpoint, state.Stopping.Token, fault => AnswerAsync(context, fault, state)) is not null;

    private static Task AnswerAsync(HttpContext context, SandboxFault fault, SandboxState state)
    {
        WriteHeaders(context, fault, state.Clock.GetUtcNow());
        if (fault.EmptyBody)
        {
            SandboxHttp.NoContent(context, fault.StatusCode);
            return Task.CompletedTask;
        }

        return SandboxHttp.WriteErrorAsync(context, fault.StatusCode, MessageFor(fault.StatusCode));
    }

    /// <summary>Dynatrace's own rate-limit hints; <c>Retry-After: &lt;seconds&gt;</c> is already written by the shared responder.</summary>
    private static void WriteHeaders(HttpContext context, SandboxFault fault, DateTimeOffset now)
    {
        var headers = context.Response.Headers;
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
