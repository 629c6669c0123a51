using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TokenFunctions.DynatraceSandbox.State;
using TokenFunctions.DynatraceSandbox.Wire;

namespace TokenFunctions.DynatraceSandbox.Api;

/// <summary>
/// The Environment API token endpoints, served both under <c>/e/{envId}/</c> (Managed form, many environments on one server)
/// and host-less under <c>/</c> (SaaS form: the host's first label or the default environment).
/// </summary>
internal sealed class EnvironmentApi(SandboxState state)
{
    private static readonly string[] ReadScopes = ["apiTokens.read"];
    private static readonly string[] WriteScopes = ["apiTokens.write"];
    private static readonly string[] V1Scopes = ["TenantTokenManagement"];
    private static readonly string[] SortKeys = ["name", "lastUsedDate", "creationDate", "expirationDate", "modifiedDate"];

    public void Map(IEndpointRouteBuilder routes)
    {
        foreach (var prefix in (string[])["/e/{envId}", ""])
        {
            Map(routes, HttpMethods.Post, prefix + "/api/v2/apiTokens/lookup", SandboxEndpoint.ApiTokensLookup, null, LookupAsync);
            Map(routes, HttpMethods.Get, prefix + "/api/v2/apiTokens/{id}", SandboxEndpoint.ApiTokensGet, ReadScopes, GetAsync);
            Map(routes, HttpMethods.Get, prefix + "/api/v2/apiTokens", SandboxEndpoint.ApiTokensList, ReadScopes, ListAsync);
            Map(routes, HttpMethods.Post, prefix + "/api/v2/apiTokens", SandboxEndpoint.ApiTokensCreate, WriteScopes, CreateAsync);
            Map(routes, HttpMethods.Put, prefix + "/api/v2/apiTokens/{id}", SandboxEndpoint.ApiTokensUpdate, WriteScopes, UpdateAsync);
            Map(routes, HttpMethods.Delete, prefix + "/api/v2/apiTokens/{id}", SandboxEndpoint.ApiTokensDelete, WriteScopes, DeleteAsync);
            Map(routes, HttpMethods.Put, prefix + "/api/v1/tokens/{id}", SandboxEndpoint.V1TokensUpdate, V1Scopes, V1UpdateAsync);
        }
    }

    private void Map(IEndpointRouteBuilder routes, string method, string pattern, SandboxEndpoint endpoint, string[]? scopes, Func<Call, Task> handler) =>
        routes.MapMethods(pattern, [method], context => RunAsync(context, endpoint, scopes, handler));

    private async Task RunAsync(HttpContext context, SandboxEndpoint endpoint, string[]? scopes, Func<Call, Task> handler)
    {
        var environment = state.ResolveEnvironment(context);
        if (environment is null)
        {
            await SandboxHttp.WriteErrorAsync(context, 404, "Unknown environment.");
            state.Record(context, "?", endpoint, null);
            return;
        }

        environment.Count(endpoint);
        if (!environment.Faults.IsQuiet && await FaultResponder.ApplyAsync(context, environment.Faults, endpoint, state))
        {
            state.Record(context, environment.Id, endpoint, null);
            return;
        }

        var caller = await AuthenticateAsync(context, environment, scopes);
        if (caller is not null)
        {
            await handler(new Call(context, environment, caller));
        }

        state.Record(context, environment.Id, endpoint, caller?.Id);
    }

    /// <summary>A known, enabled, unexpired token in the header, holding one of <paramref name="scopes"/> (any scope when null).</summary>
    private async Task<ApiTokenState?> AuthenticateAsync(HttpContext context, SandboxEnvironment environment, string[]? scopes)
    {
        var header = context.Request.Headers.Authorization.ToString();
        const string Scheme = "Api-Token ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            await SandboxHttp.WriteErrorAsync(context, 401, "Missing authorization parameter.");
            return null;
        }

        var now = state.Clock.GetUtcNow();
        var token = environment.FindBySecret(header[Scheme.Length..].Trim());
        if (token is null || !token.IsUsable(now))
        {
            await SandboxHttp.WriteErrorAsync(context, 401, "Token Authentication failed");
            return null;
        }

        if (scopes is not null && !token.HasAnyScope(scopes))
        {
            await SandboxHttp.WriteErrorAsync(context, 403, "Token is missing required scope. Use one of: " + string.Join(", ", scopes));
            return null;
        }

        token.Touch(now, context.Connection.RemoteIpAddress?.ToString());
        return token;
    }

    private static async Task LookupAsync(Call call)
    {
        var body = await SandboxHttp.ReadJsonAsync(call.Context, SandboxJsonContext.Default.TokenSecretJson);
        if (body is null)
        {
            return;
        }

        if (string.IsNullOrEmpty(body.Token))
        {
            await SandboxHttp.WriteBodyViolationAsync(call.Context, "token", "must not be null");
            return;
        }

        if (call.Environment.FindBySecret(body.Token) is not { } token)
        {
            // Documented as 404 with no body.
            SandboxHttp.NoContent(call.Context, 404);
            return;
        }

        await WriteTokenAsync(call.Context, token);
    }

    private static async Task GetAsync(Call call)
    {
        if (call.Environment.FindById(call.Id) is not { } token)
        {
            SandboxHttp.NoContent(call.Context, 404);
            return;
        }

        await WriteTokenAsync(call.Context, token);
    }

    private static Task WriteTokenAsync(HttpContext context, ApiTokenState token) =>
        SandboxHttp.WriteJsonAsync(context, 200, ApiTokenFieldsParser.Project(token.Snapshot(), ApiTokenFields.All), SandboxJsonContext.Default.ApiTokenJson);

    private static Task ListAsync(Call call)
    {
        var context = call.Context;
        return ParseListQuery(context.Request.Query, out var violation) is { } list
            ? SandboxHttp.WriteJsonAsync(context, 200, Page(call.Environment, list), SandboxJsonContext.Default.ApiTokenListJson)
            : SandboxHttp.WriteQueryViolationAsync(context, violation.Path, violation.Message);
    }

    /// <summary>
    /// The list query as Dynatrace reads it: a <c>nextPageKey</c> alone (the cursor carries the rest), or the selector,
    /// fields, sort and page size. Null with the first refused parameter (a QUERY violation's path and message).
    /// </summary>
    private static ListQuery? ParseListQuery(IQueryCollection query, out (string Path, string Message) violation)
    {
        violation = default;
        ListCursorJson? cursor;
        if (query.TryGetValue("nextPageKey", out var key))
        {
            if (query.Count > 1)
            {
                violation = ("nextPageKey", "If nextPageKey is set, all other query parameters must be omitted.");
                return null;
            }

            cursor = DecodeCursor(key.ToString());
            if (cursor is null)
            {
                violation = ("nextPageKey", "Invalid nextPageKey.");
                return null;
            }
        }
        else
        {
            var pageSize = 200;
            if (query.TryGetValue("pageSize", out var size)
                && (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 100 or > 10_000))
            {
                violation = ("pageSize", "must be between 100 and 10000");
                return null;
            }

            cursor = new ListCursorJson(NullIfEmpty(query["apiTokenSelector"]), NullIfEmpty(query["fields"]), NullIfEmpty(query["sort"]), pageSize, 0);
        }

        if (!ApiTokenSelector.TryParse(cursor.Selector, out var predicate, out var selectorError))
        {
            violation = ("apiTokenSelector", selectorError!);
            return null;
        }

        if (!ApiTokenFieldsParser.TryParse(cursor.Fields, out var fields, out var fieldsError))
        {
            violation = ("fields", fieldsError!);
            return null;
        }

        var sort = cursor.Sort ?? "-creationDate";
        var sortKey = sort.TrimStart('+', '-');
        if (!SortKeys.Contains(sortKey, StringComparer.Ordinal))
        {
            violation = ("sort", $"Unknown sort field '{sortKey}'.");
            return null;
        }

        return new ListQuery(cursor, predicate, fields, sortKey, Descending: sort[0] == '-');
    }

    /// <summary>The page the cursor points at: the matching tokens in the query's order (the id breaks ties), projected, with the next page's key.</summary>
    private static ApiTokenListJson Page(SandboxEnvironment environment, ListQuery list)
    {
        var matching = environment.All.Select(t => t.Snapshot()).Where(list.Predicate).ToList();
        matching.Sort((a, b) =>
        {
            var order = Compare(a, b, list.SortKey);
            order = list.Descending ? -order : order;
            return order != 0 ? order : string.CompareOrdinal(a.Id, b.Id);
        });

        var cursor = list.Cursor;
        var page = matching.Skip(cursor.Offset).Take(cursor.PageSize).Select(t => ApiTokenFieldsParser.Project(t, list.Fields)).ToList();
        var nextOffset = cursor.Offset + cursor.PageSize;
        var next = nextOffset < matching.Count ? EncodeCursor(cursor with { Offset = nextOffset }) : null;
        return new ApiTokenListJson(page, next, cursor.PageSize, matching.Count);
    }

    private async Task CreateAsync(Call call)
    {
        if (call.Environment.ClassicCreationDisabled)
        {
            // Dynatrace documents that Phase 3 environments refuse classic token creation, not the answer (UNCONFIRMED):
            // the sandbox refuses as it refuses other forbidden requests, with the docs' own words.
            await SandboxHttp.WriteErrorAsync(call.Context, 403, ClassicCreationDisabledMessage);
            return;
        }

        var body = await SandboxHttp.ReadJsonAsync(call.Context, SandboxJsonContext.Default.ApiTokenCreateJson);
        if (body is null)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(body.Name))
        {
            await SandboxHttp.WriteBodyViolationAsync(call.Context, "name", "must not be null");
            return;
        }

        if (body.Scopes is not { Count: > 0 } || body.Scopes.Any(string.IsNullOrWhiteSpace))
        {
            await SandboxHttp.WriteBodyViolationAsync(call.Context, "scopes", "must not be empty");
            return;
        }

        var now = state.Clock.GetUtcNow();
        DateTimeOffset? expiration = null;
        if (body.ExpirationDate is { ValueKind: not JsonValueKind.Null } raw)
        {
            if (!ExpirationParser.TryParse(raw, now, out var parsed))
            {
                await SandboxHttp.WriteBodyViolationAsync(call.Context, "expirationDate", "Invalid date format.");
                return;
            }

            if (parsed <= now)
            {
                await SandboxHttp.WriteBodyViolationAsync(call.Context, "expirationDate", "must not be in the past");
                return;
            }

            expiration = parsed;
        }

        // "The token will be owned by the user who owns the token used to authenticate the call."
        var created = call.Environment.Create(new SandboxApiTokenSeed
        {
            Name = body.Name,
            Scopes = body.Scopes,
            Owner = call.Caller.Owner,
            ExpirationDate = expiration,
            PersonalAccessToken = body.PersonalAccessToken ?? false,
            CreationDate = now,
        });
        await SandboxHttp.WriteJsonAsync(call.Context, 201, new ApiTokenCreatedJson(created.Id, created.Secret, SandboxHttp.FormatDate(expiration)), SandboxJsonContext.Default.ApiTokenCreatedJson);
    }

    /// <summary>The docs' sentence, used as the sandbox's refusal of a classic create in a Phase 3 environment.</summary>
    public const string ClassicCreationDisabledMessage =
        "Classic API token creation is disabled for this environment; all new integrations must use platform tokens.";

    private async Task UpdateAsync(Call call)
    {
        var body = await SandboxHttp.ReadJsonAsync(call.Context, SandboxJsonContext.Default.ApiTokenUpdateJson);
        if (body is null)
        {
            return;
        }

        if (call.Environment.FindById(call.Id) is not { } token)
        {
            await SandboxHttp.WriteErrorAsync(call.Context, 404, $"Token {call.Id} not found.");
            return;
        }

        if (body.Enabled == false && ReferenceEquals(token, call.Caller))
        {
            await SandboxHttp.WriteErrorAsync(call.Context, 400, "You can't disable the token you're using for authentication of the request.");
            return;
        }

        token.Update(body.Enabled, body.Name, body.Scopes, state.Clock.GetUtcNow());
        SandboxHttp.NoContent(call.Context);
    }

    private static async Task DeleteAsync(Call call)
    {
        // "You can specify either the ID or the secret of the token."
        var token = call.Environment.FindById(call.Id) ?? call.Environment.FindBySecret(call.Id);
        if (token is null)
        {
            SandboxHttp.NoContent(call.Context, 404);
            return;
        }

        if (ReferenceEquals(token, call.Caller))
        {
            await SandboxHttp.WriteErrorAsync(call.Context, 400, "You can't delete the token you're using for authentication of the request.");
            return;
        }

        call.Environment.RemoveToken(token.Id);
        SandboxHttp.NoContent(call.Context);
    }

    private async Task V1UpdateAsync(Call call)
    {
        var body = await SandboxHttp.ReadJsonAsync(call.Context, SandboxJsonContext.Default.V1UpdateTokenJson);
        if (body is null)
        {
            return;
        }

        if (call.Environment.FindById(call.Id) is not { } token)
        {
            await SandboxHttp.WriteErrorAsync(call.Context, 404, "The requested token has not been found.");
            return;
        }

        if (ReferenceEquals(token, call.Caller))
        {
            await SandboxHttp.WriteErrorAsync(call.Context, 400, "You can't update the token you're using for authentication of the request.");
            return;
        }

        token.Update(body.Revoked is { } revoked ? !revoked : null, body.Name, body.Scopes, state.Clock.GetUtcNow());
        SandboxHttp.NoContent(call.Context);
    }

    private static int Compare(SandboxApiToken a, SandboxApiToken b, string key) => key switch
    {
        "name" => string.CompareOrdinal(a.Name, b.Name),
        "lastUsedDate" => Nullable.Compare(a.LastUsedDate, b.LastUsedDate),
        "expirationDate" => Nullable.Compare(a.ExpirationDate, b.ExpirationDate),
        "modifiedDate" => Nullable.Compare(a.ModifiedDate, b.ModifiedDate),
        _ => a.CreationDate.CompareTo(b.CreationDate),
    };

    private static string? NullIfEmpty(Microsoft.Extensions.Primitives.StringValues value) => value.Count == 0 || string.IsNullOrEmpty(value[0]) ? null : value[0];

    private static string EncodeCursor(ListCursorJson cursor) =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(cursor, SandboxJsonContext.Default.ListCursorJson));

    private static ListCursorJson? DecodeCursor(string key)
    {
        try
        {
            return JsonSerializer.Deserialize(Base64Url.DecodeFromChars(key), SandboxJsonContext.Default.ListCursorJson);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    /// <summary>A list request read and checked: where it starts, what it keeps, how it is ordered.</summary>
    private sealed record ListQuery(ListCursorJson Cursor, Func<SandboxApiToken, bool> Predicate, ApiTokenFields Fields, string SortKey, bool Descending);

    private sealed record Call(HttpContext Context, SandboxEnvironment Environment, ApiTokenState Caller)
    {
        public string Id => Context.Request.RouteValues["id"] as string ?? "";
    }
}
