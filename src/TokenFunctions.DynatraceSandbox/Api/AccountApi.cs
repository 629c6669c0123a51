using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TokenFunctions.DynatraceSandbox.State;
using TokenFunctions.DynatraceSandbox.Wire;

namespace TokenFunctions.DynatraceSandbox.Api;

/// <summary>The Account Management API's platform-token endpoints, authenticated with SSO bearers.</summary>
internal sealed class AccountApi(SandboxState state)
{
    private const string Base = "/iam/v1/accounts/{accountUuid}/platform-tokens";
    private static readonly string[] ReadScopes = ["account-idm-read", "account-idm-write", "platform-token:tokens:manage"];
    private static readonly string[] WriteScopes = ["account-idm-write", "platform-token:tokens:manage"];
    private static readonly string[] CreateScopes = ["account-idm-write", "platform-token:tokens:write"];

    public void Map(IEndpointRouteBuilder routes)
    {
        Map(routes, HttpMethods.Get, Base, SandboxEndpoint.PlatformTokensList, ReadScopes, ListAsync);
        Map(routes, HttpMethods.Post, Base, SandboxEndpoint.PlatformTokensCreate, CreateScopes, CreateAsync);
        Map(routes, HttpMethods.Delete, Base + "/{id}", SandboxEndpoint.PlatformTokensDelete, WriteScopes, DeleteAsync);
        Map(routes, HttpMethods.Put, Base + "/{id}/status", SandboxEndpoint.PlatformTokensStatus, WriteScopes, StatusAsync);
        Map(routes, HttpMethods.Put, Base + "/{id}/expiration-date", SandboxEndpoint.PlatformTokensExpiration, WriteScopes, ExpirationAsync);
    }

    private void Map(IEndpointRouteBuilder routes, string method, string pattern, SandboxEndpoint endpoint, string[] scopes, Func<Call, Task> handler) =>
        routes.MapMethods(pattern, [method], context => RunAsync(context, endpoint, scopes, handler));

    private async Task RunAsync(HttpContext context, SandboxEndpoint endpoint, string[] scopes, Func<Call, Task> handler)
    {
        if (!Guid.TryParse(context.Request.RouteValues["accountUuid"] as string, out var uuid) || !state.Accounts.TryGetValue(uuid, out var account))
        {
            await SandboxHttp.WriteErrorAsync(context, 404, "Account not found.");
            state.Record(context, "?", endpoint, null);
            return;
        }

        account.Count(endpoint);
        if (!account.Faults.IsQuiet && await FaultResponder.ApplyAsync(context, account.Faults, endpoint, state))
        {
            state.Record(context, account.Uuid.ToString(), endpoint, null);
            return;
        }

        var bearer = await AuthenticateAsync(context, account, scopes);
        if (bearer is not null)
        {
            await handler(new Call(context, account, bearer));
        }

        state.Record(context, account.Uuid.ToString(), endpoint, bearer?.ClientId);
    }

    private async Task<BearerState?> AuthenticateAsync(HttpContext context, SandboxAccount account, string[] scopes)
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

    private async Task ListAsync(Call call)
    {
        var query = call.Context.Request.Query;
        var pageBase = state.PlatformTokenPageBase;
        var page = pageBase;
        var size = 100;
        if ((query.TryGetValue("page", out var p) && (!int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out page)))
            || (query.TryGetValue("size", out var s) && (!int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > 1000)))
        {
            await SandboxHttp.WriteErrorAsync(call.Context, 400, "page must be >= 0 and size between 1 and 1000.");
            return;
        }

        var term = query["searchTerm"].ToString();
        var status = query["status"].ToString();
        var matching = call.Account.All
            .Where(t => term.Length == 0 || t.Matches(term))
            .Select(t => t.Snapshot())
            .Where(t => status.Length == 0 || string.Equals(t.Status, status, StringComparison.OrdinalIgnoreCase))
            .OrderBy(t => t.Id, StringComparer.Ordinal)
            .ToList();

        // Without a page parameter the first page is served; a page below the base is empty, as on a strict 1-based server.
        var results = page < pageBase ? [] : matching.Skip((page - pageBase) * size).Take(size).Select(t => ToJson(t, call.Account.Uuid)).ToList();
        await SandboxHttp.WriteJsonAsync(call.Context, 200, new PlatformTokenPageJson(size, page, matching.Count, results), SandboxJsonContext.Default.PlatformTokenPageJson);
    }

    private async Task CreateAsync(Call call)
    {
        var body = await SandboxHttp.ReadJsonAsync(call.Context, SandboxJsonContext.Default.PlatformTokenCreateJson);
        if (body is null)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > 255)
        {
            await SandboxHttp.WriteBodyViolationAsync(call.Context, "name", "must be 1 to 255 characters");
            return;
        }

        if (body.Scope is not { Count: > 0 })
        {
            await SandboxHttp.WriteBodyViolationAsync(call.Context, "scope", "must not be empty");
            return;
        }

        DateTimeOffset? expiration = null;
        if (body.ExpirationDate is not null)
        {
            if (!ExpirationParser.TryParse(body.ExpirationDate, state.Clock.GetUtcNow(), out var parsed))
            {
                await SandboxHttp.WriteBodyViolationAsync(call.Context, "expirationDate", "Invalid date format.");
                return;
            }

            expiration = parsed;
        }

        var user = body.UserUuid ?? state.FindClient(call.Bearer.ClientId)?.UserUuid ?? Guid.Empty.ToString();
        if (call.Account.CountFor(user) >= SandboxAccount.MaxTokensPerUser)
        {
            await SandboxHttp.WriteErrorAsync(call.Context, 400, $"A user can have at most {SandboxAccount.MaxTokensPerUser} platform tokens in an account.");
            return;
        }

        var created = call.Account.Create(new SandboxPlatformTokenSeed
        {
            Name = body.Name,
            Scopes = body.Scope,
            Resources = body.Resource,
            Tags = body.Tags,
            ExpirationDate = expiration,
            UserUuid = user,
        });
        await SandboxHttp.WriteJsonAsync(call.Context, 200, new PlatformTokenSecretJson(created.Name, created.Id, created.Secret), SandboxJsonContext.Default.PlatformTokenSecretJson);
    }

    private static async Task DeleteAsync(Call call)
    {
        if (!call.Account.Remove(call.Id))
        {
            await SandboxHttp.WriteErrorAsync(call.Context, 404, $"Platform token {call.Id} not found.");
            return;
        }

        SandboxHttp.NoContent(call.Context, 200);
    }

    private static async Task StatusAsync(Call call)
    {
        var body = await SandboxHttp.ReadJsonAsync(call.Context, SandboxJsonContext.Default.PlatformTokenStatusJson);
        if (body is null)
        {
            return;
        }

        if (body.Status is not ("ACTIVE" or "INACTIVE"))
        {
            await SandboxHttp.WriteBodyViolationAsync(call.Context, "status", "must be ACTIVE or INACTIVE");
            return;
        }

        if (call.Account.Find(call.Id) is not { } token)
        {
            await SandboxHttp.WriteErrorAsync(call.Context, 404, $"Platform token {call.Id} not found.");
            return;
        }

        token.SetStatus(body.Status);
        SandboxHttp.NoContent(call.Context, call.Account.StatusSuccessCode);
    }

    private async Task ExpirationAsync(Call call)
    {
        var body = await SandboxHttp.ReadJsonAsync(call.Context, SandboxJsonContext.Default.PlatformTokenExpirationJson);
        if (body is null)
        {
            return;
        }

        if (!ExpirationParser.TryParse(body.ExpirationDate, state.Clock.GetUtcNow(), out var expiration))
        {
            await SandboxHttp.WriteBodyViolationAsync(call.Context, "expirationDate", "Invalid date format.");
            return;
        }

        if (call.Account.Find(call.Id) is not { } token)
        {
            await SandboxHttp.WriteErrorAsync(call.Context, 404, $"Platform token {call.Id} not found.");
            return;
        }

        token.SetExpiration(expiration);
        SandboxHttp.NoContent(call.Context, 200);
    }

    private static PlatformTokenJson ToJson(SandboxPlatformToken t, Guid account) => new(
        t.Id,
        account.ToString(),
        t.Description,
        t.Name,
        t.Scopes,
        t.Tags,
        t.Resources,
        SandboxHttp.FormatDate(t.ExpirationDate),
        t.UserUuid,
        t.Status,
        new PlatformTokenMetadataJson(SandboxHttp.FormatDate(t.LastUsedAt), t.LastClientIp));

    private sealed record Call(HttpContext Context, SandboxAccount Account, BearerState Bearer)
    {
        public string Id => Context.Request.RouteValues["id"] as string ?? "";
    }
}
