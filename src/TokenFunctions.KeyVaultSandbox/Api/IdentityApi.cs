using System.Globalization;
using Microsoft.AspNetCore.Http;
using TokenFunctions.KeyVaultSandbox.State;
using TokenFunctions.KeyVaultSandbox.Wire;

namespace TokenFunctions.KeyVaultSandbox.Api;

/// <summary>
/// The App Service managed-identity endpoint as MSAL (inside Azure.Identity's <c>ManagedIdentityCredential</c>) calls it
/// when <c>IDENTITY_ENDPOINT</c> and <c>IDENTITY_HEADER</c> are set: <c>GET {IDENTITY_ENDPOINT}?api-version=2019-08-01
/// &amp;resource=…[&amp;client_id=…]</c> with the header <c>X-IDENTITY-HEADER</c>. Answers a new bearer for the resource.
/// </summary>
internal sealed class IdentityApi(VaultState state)
{
    public const string Path = "/msi/token";
    public const string ApiVersion = "2019-08-01";
    public const string SecretHeaderName = "X-IDENTITY-HEADER";

    /// <summary>App Service tokens live about a day; MSAL refreshes well before.</summary>
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        state.Count(KeyVaultOperation.ManagedIdentityToken);
        var fault = await FaultResponder.ApplyAsync(context, KeyVaultOperation.ManagedIdentityToken, state);
        var authenticated = fault is null && state.IsIdentityHeader(request.Headers[SecretHeaderName].ToString());
        if (fault is null)
        {
            await RespondAsync(context, authenticated);
        }

        state.Record(new KeyVaultRequest(
            KeyVaultOperation.ManagedIdentityToken,
            request.Method,
            request.Path.Value ?? "/",
            request.QueryString.Value ?? string.Empty,
            null,
            null,
            authenticated,
            context.Response.StatusCode,
            fault));
    }

    private Task RespondAsync(HttpContext context, bool authenticated)
    {
        var query = context.Request.Query;
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            return ErrorAsync(context, 405, "Only GET is supported.");
        }

        if (!authenticated)
        {
            return ErrorAsync(context, 401, $"The {SecretHeaderName} header is missing or wrong.");
        }

        if (query["api-version"] != ApiVersion)
        {
            return ErrorAsync(context, 400, $"api-version must be {ApiVersion}.");
        }

        if (query["resource"].ToString() is not { Length: > 0 } resource)
        {
            return ErrorAsync(context, 400, "resource is required.");
        }

        // A user-assigned identity is named by client_id (MSAL's query name for App Service 2019-08-01).
        var requested = query["client_id"].ToString();
        if (state.UserAssignedClientId is { } only && !string.Equals(requested, only, StringComparison.OrdinalIgnoreCase))
        {
            return ErrorAsync(
                context,
                400,
                requested.Length == 0
                    ? "No system-assigned identity: this app has only a user-assigned identity; name it with client_id."
                    : "No user-assigned identity with this client_id is assigned to this app.");
        }

        var clientId = requested.Length > 0 ? requested : VaultState.SandboxClientId;
        var (token, issued) = state.IssueToken(resource, clientId, Lifetime);
        return VaultHttp.WriteJsonAsync(
            context,
            200,
            new IdentityTokenJson(token, issued.ExpiresOn.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), resource, "Bearer", clientId),
            KeyVaultJsonContext.Default.IdentityTokenJson);
    }

    private static Task ErrorAsync(HttpContext context, int status, string message) =>
        VaultHttp.WriteJsonAsync(context, status, new IdentityErrorJson(status, message), KeyVaultJsonContext.Default.IdentityErrorJson);
}
