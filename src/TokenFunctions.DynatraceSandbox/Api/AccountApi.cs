using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TokenFunctions.DynatraceSandbox.State;
using TokenFunctions.DynatraceSandbox.Wire;

namespace TokenFunctions.DynatraceSandbox.Api;

/// <summary>
/// The Account Management API's platform-token endpoints, authenticated with SSO bearers, as the configured
/// <see cref="SandboxPlatformReading"/> reads the docs: paging names and base, scope family, id form, list fields.
/// </summary>
internal sealed class AccountApi(SandboxState state)
{
    private const string Base = "/iam/v1/accounts/{accountUuid}/platform-tokens";
    private const string IdmRead = "account-idm-read";
    private const string IdmWrite = "account-idm-write";
    private const string Manage = "platform-token:tokens:manage";
    private const string Write = "platform-token:tokens:write";

    public void Map(IEndpointRouteBuilder routes)
    {
        Map(routes, HttpMethods.Get, Base, SandboxEndpoint.PlatformTokensList, Operation.Read, ListAsync);
        Map(routes, HttpMethods.Post, Base, SandboxEndpoint.PlatformTokensCreate, Operation.Create, CreateAsync);
        Map(routes, HttpMethods.Delete, Base + "/{id}", SandboxEndpoint.PlatformTokensDelete, Operation.Change, DeleteAsync);
        Map(routes, HttpMethods.Put, Base + "/{id}/status", SandboxEndpoint.PlatformTokensStatus, Operation.Change, StatusAsync);
        Map(routes, HttpMethods.Put, Base + "/{id}/expiration-date", SandboxEndpoint.PlatformTokensExpiration, Operation.Change, ExpirationAsync);
    }

    /// <summary>The scopes an operation accepts under a family (any one of them suffices).</summary>
    internal static string[] ScopesFor(Operation operation, SandboxScopeFamily family) => (operation, family) switch
    {
        (Operation.Read, SandboxScopeFamily.AccountIdm) => [IdmRead, IdmWrite],
        (_, SandboxScopeFamily.AccountIdm) => [IdmWrite],
        (Operation.Create, SandboxScopeFamily.PlatformToken) => [Write],
        (_, SandboxScopeFamily.PlatformToken) => [Manage],
        (Operation.Read, _) => [IdmRead, IdmWrite, Manage],
        (Operation.Create, _) => [IdmWrite, Write],
        _ => [IdmWrite, Manage],
    };

    private void Map(IEndpointRouteBuilder routes, string method, string pattern, SandboxEndpoint endpoint, Operation operation, Func<Call, Task> handler) =>
        routes.MapMethods(pattern, [method], context => RunAsync(context, endpoint, operation, handler));

    private async Task RunAsync(HttpContext context, SandboxEndpoint endpoint, Operation operation, Func<Call, Task> handler)
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

        var reading = state.PlatformReading;
        var bearer = await BearerAuth.AuthenticateAsync(context, state, account, ScopesFor(operation, reading.ScopeFamily));
        if (bearer is not null)
        {
            await handler(new Call(context, account, bearer, reading));
        }

        state.Record(context, account.Uuid.ToString(), endpoint, bearer?.ClientId);
    }

    private async Task ListAsync(Call call)
    {
        var query = call.Context.Request.Query;
        var reading = call.Reading;
        var (pageName, sizeName) = reading.Paging switch
        {
            SandboxPagingNames.PageNumberAndPageSize => ("pageNumber", "pageSize"),
            SandboxPagingNames.None => ("(no page parameter)", "size"),
            _ => ("page", "size"),
        };
        var pageBase = reading.PageBase;
        var page = pageBase;
        var size = 100;
        if ((query.TryGetValue(pageName, out var p) && (!int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out page)))
            || (query.TryGetValue(sizeName, out var s) && (!int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > 1000)))
        {
            await SandboxHttp.WriteErrorAsync(call.Context, 400, $"{pageName} must be >= 0 and {sizeName} between 1 and 1000.");
            return;
        }

        var term = reading.HonoursSearchTerm ? query["searchTerm"].ToString() : string.Empty;
        var status = query["status"].ToString();
        var matching = call.Account.All
            .Where(t => term.Length == 0 || t.Matches(term))
            .Select(t => (State: t, Snapshot: t.Snapshot()))
            .Where(t => status.Length == 0 || string.Equals(t.Snapshot.Status, status, StringComparison.OrdinalIgnoreCase))
            .OrderBy(t => t.State.IdIn(reading.IdForm), StringComparer.Ordinal)
            .ToList();

        // Without a page parameter the first page is served; a page below the base is empty, as on a strict 1-based server.
        var results = page < pageBase ? [] : matching.Skip((page - pageBase) * size).Take(size).Select(t => ToJson(t.State, t.Snapshot, call)).ToList();
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
        await SandboxHttp.WriteJsonAsync(
            call.Context, 200, new PlatformTokenSecretJson(created.Name, created.IdIn(call.Reading.IdForm), created.Secret), SandboxJsonContext.Default.PlatformTokenSecretJson);
    }

    private static async Task DeleteAsync(Call call)
    {
        if (!call.Account.Remove(call.Id, call.Reading.IdForm))
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

        if (call.Account.Find(call.Id, call.Reading.IdForm) is not { } token)
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

        if (call.Account.Find(call.Id, call.Reading.IdForm) is not { } token)
        {
            await SandboxHttp.WriteErrorAsync(call.Context, 404, $"Platform token {call.Id} not found.");
            return;
        }

        token.SetExpiration(expiration);
        SandboxHttp.NoContent(call.Context, 200);
    }

    private static PlatformTokenJson ToJson(PlatformTokenState state, SandboxPlatformToken t, Call call) => new(
        state.IdIn(call.Reading.IdForm),
        call.Account.Uuid.ToString(),
        t.Description,
        t.Name,
        t.Scopes,
        t.Tags,
        t.Resources,
        SandboxHttp.FormatDate(t.ExpirationDate),
        t.UserUuid,
        call.Reading.ListsStatus ? t.Status : null,
        new PlatformTokenMetadataJson(
            SandboxHttp.FormatDate(t.LastUsedAt),
            call.Reading.LastClientAsIp ? null : t.LastClient,
            call.Reading.LastClientAsIp ? t.LastClient : null));

    internal enum Operation
    {
        Read,
        Change,
        Create,
    }

    private sealed record Call(HttpContext Context, SandboxAccount Account, BearerState Bearer, SandboxPlatformReading Reading)
    {
        public string Id => Context.Request.RouteValues["id"] as string ?? "";
    }
}
