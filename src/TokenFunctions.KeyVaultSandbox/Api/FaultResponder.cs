using Microsoft.AspNetCore.Http;
using TokenFunctions.KeyVaultSandbox.State;
using TokenFunctions.KeyVaultSandbox.Wire;
using TokenFunctions.SandboxKit;
using Kit = TokenFunctions.SandboxKit;

namespace TokenFunctions.KeyVaultSandbox.Api;

/// <summary>
/// Key Vault's answers to injected faults: its error envelope, or the identity endpoint's error body. Waiting, hanging,
/// dropping the connection and the 499 of an unanswered request are the shared <see cref="Kit.FaultResponder"/>'s.
/// </summary>
internal static class FaultResponder
{
    /// <summary>The kind of fault that took the request (the handler must not run), or null.</summary>
    public static Task<FaultKind?> ApplyAsync(HttpContext context, KeyVaultOperation operation, VaultState state) =>
        Kit.FaultResponder.ApplyAsync(context, state.Faults, operation, state.Stopping.Token, fault => AnswerAsync(context, operation, fault));

    private static Task AnswerAsync(HttpContext context, KeyVaultOperation operation, KeyVaultFault fault)
    {
        if (operation == KeyVaultOperation.ManagedIdentityToken)
        {
            return VaultHttp.WriteJsonAsync(
                context, fault.StatusCode, new IdentityErrorJson(fault.StatusCode, "Injected fault"), KeyVaultJsonContext.Default.IdentityErrorJson);
        }

        var (code, message) = Describe(fault.StatusCode);
        return VaultHttp.WriteErrorAsync(context, fault.StatusCode, code, message);
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
