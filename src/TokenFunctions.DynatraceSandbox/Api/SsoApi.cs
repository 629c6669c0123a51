using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TokenFunctions.DynatraceSandbox.State;
using TokenFunctions.DynatraceSandbox.Wire;

namespace TokenFunctions.DynatraceSandbox.Api;

/// <summary>
/// <c>POST /sso/oauth2/token</c>: the client-credentials grant. Wrong credentials answer 400 as Dynatrace's SSO does
/// (terraform-provider-dynatrace#325); the OAuth error body fields follow RFC 6749 since Dynatrace's are undocumented.
/// </summary>
internal sealed class SsoApi(SandboxState state)
{
    public const string Path = "/sso/oauth2/token";

    public void Map(IEndpointRouteBuilder routes) => routes.MapPost(Path, HandleAsync);

    private async Task HandleAsync(HttpContext context)
    {
        state.CountSso();
        if (!state.SsoFaults.IsQuiet && await FaultResponder.ApplyAsync(context, state.SsoFaults, SandboxEndpoint.OAuthToken, state))
        {
            state.Record(context, "sso", SandboxEndpoint.OAuthToken, null);
            return;
        }

        string? clientId = null;
        if (!context.Request.HasFormContentType)
        {
            await ErrorAsync(context, 400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded.");
        }
        else
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            clientId = form["client_id"].ToString();
            await IssueAsync(context, form, clientId);
        }

        if (clientId is not null && state.FindClient(clientId) is { } client && state.Accounts.TryGetValue(client.AccountUuid, out var account))
        {
            account.Count(SandboxEndpoint.OAuthToken);
        }

        state.Record(context, "sso", SandboxEndpoint.OAuthToken, clientId);
    }

    private async Task IssueAsync(HttpContext context, IFormCollection form, string clientId)
    {
        if (!string.Equals(form["grant_type"], "client_credentials", StringComparison.Ordinal))
        {
            await ErrorAsync(context, 400, "unsupported_grant_type", "Only client_credentials is supported.");
            return;
        }

        var client = state.FindClient(clientId);
        if (client is null || !FixedTimeEquals(client.ClientSecret, form["client_secret"].ToString()))
        {
            await ErrorAsync(context, 400, "invalid_client", "Client authentication failed.");
            return;
        }

        var resource = form["resource"].ToString();
        if (!string.Equals(resource, $"urn:dtaccount:{client.AccountUuid}", StringComparison.OrdinalIgnoreCase))
        {
            await ErrorAsync(context, 400, "invalid_target", "The client is not allowed to access the requested resource.");
            return;
        }

        var requested = form["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var denied = requested.Where(s => !client.Scopes.Contains(s)).ToList();
        if (denied.Count > 0)
        {
            await ErrorAsync(context, 400, "invalid_scope", "Scopes not granted to this client: " + string.Join(' ', denied));
            return;
        }

        var granted = requested.Length == 0 ? client.Scopes : new HashSet<string>(requested, StringComparer.Ordinal);
        var bearer = state.IssueBearer(client, granted);
        await SandboxHttp.WriteJsonAsync(
            context,
            200,
            new OAuthTokenJson("Bearer", resource, bearer, (int)state.BearerLifetime.TotalSeconds, string.Join(' ', granted)),
            SandboxJsonContext.Default.OAuthTokenJson);
    }

    private static bool FixedTimeEquals(string expected, string actual) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(expected), System.Text.Encoding.UTF8.GetBytes(actual));

    private static Task ErrorAsync(HttpContext context, int status, string error, string description) =>
        SandboxHttp.WriteJsonAsync(context, status, new OAuthErrorJson(error, description), SandboxJsonContext.Default.OAuthErrorJson);
}
