using System.Globalization;
using Microsoft.AspNetCore.Http;
using TokenFunctions.KeyVaultSandbox.State;
using TokenFunctions.KeyVaultSandbox.Wire;

namespace TokenFunctions.KeyVaultSandbox.Api;

/// <summary>Turns the next configured fault, if any, into a response (or a hang, or a dropped connection).</summary>
internal static class FaultResponder
{
    /// <summary>The fault that answered the request (the handler must not run), or null.</summary>
    public static async Task<KeyVaultFaultKind?> ApplyAsync(HttpContext context, KeyVaultOperation operation, VaultState state)
    {
        if (state.Faults.Next(operation) is not { } fault)
        {
            return null;
        }

        switch (fault.Kind)
        {
            case KeyVaultFaultKind.Delay:
                return await WaitAsync(context, fault.Delay, state) ? null : Abort(context, KeyVaultFaultKind.Delay);

            case KeyVaultFaultKind.Hang:
                await WaitAsync(context, Timeout.InfiniteTimeSpan, state);
                return Abort(context, KeyVaultFaultKind.Hang);

            case KeyVaultFaultKind.Reset:
                return Abort(context, KeyVaultFaultKind.Reset);

            default:
                if (fault.RetryAfter is { } after)
                {
                    context.Response.Headers.RetryAfter = ((long)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                if (operation == KeyVaultOperation.ManagedIdentityToken)
                {
                    await VaultHttp.WriteJsonAsync(
                        context, fault.StatusCode, new IdentityErrorJson(fault.StatusCode, "Injected fault"), KeyVaultJsonContext.Default.IdentityErrorJson);
                }
                else
                {
                    var (code, message) = Describe(fault.StatusCode);
                    await VaultHttp.WriteErrorAsync(context, fault.StatusCode, code, message);
                }

                return KeyVaultFaultKind.Status;
        }
    }

    private static KeyVaultFaultKind Abort(HttpContext context, KeyVaultFaultKind kind)
    {
        context.Abort();
        return kind;
    }

    /// <summary>False when the wait ended because the client went away or the sandbox stopped.</summary>
    private static async Task<bool> WaitAsync(HttpContext context, TimeSpan delay, VaultState state)
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

    private static (string Code, string Message) Describe(int status) => status switch
    {
        429 => ("Throttled", "Request was not processed because too many requests were received."),
        500 => ("InternalServerError", "Internal Server Error"),
        502 => ("BadGateway", "Bad Gateway"),
        503 => ("ServiceUnavailable", "The service is unavailable."),
        504 => ("GatewayTimeout", "Gateway Timeout"),
        _ => ("InjectedFault", $"Injected HTTP {status}"),
    };
}
