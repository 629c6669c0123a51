using Microsoft.AspNetCore.Http;
using TokenFunctions.DynatraceSandbox.State;

namespace TokenFunctions.DynatraceSandbox.Api;

/// <summary>The account APIs' bearer check: issued by the SSO, not expired, for this account, with one of the scopes.</summary>
internal static class BearerAuth
{
    public static async Task<BearerState?> AuthenticateAsync(HttpContext context, SandboxState state, SandboxAccount account, string[] scopes)
    {
        var header = context.Request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        var bearer = header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? state.FindBearer(header[Scheme.Length..].Trim()) : null;
        if (bearer is null || bearer.ExpiresAt <= state.Clock.GetUtcNow())
        {
            await SandboxHttp.WriteErrorAsync(context, 401, "Invalid or expired bearer token.");
            return null;
        }

        if (bearer.AccountUuid != account.Uuid)
        {
            await SandboxHttp.WriteErrorAsync(context, 403, "The bearer token is not valid for this account.");
            return null;
        }

        if (!scopes.Any(bearer.Scopes.Contains))
        {
            await SandboxHttp.WriteErrorAsync(context, 403, "Missing scope. Use one of: " + string.Join(", ", scopes));
            return null;
        }

        return bearer;
    }
}
