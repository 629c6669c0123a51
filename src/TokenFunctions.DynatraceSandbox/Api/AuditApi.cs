using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TokenFunctions.DynatraceSandbox.State;
using TokenFunctions.DynatraceSandbox.Wire;

namespace TokenFunctions.DynatraceSandbox.Api;

/// <summary>
/// <c>GET /audit/v1/accounts/{uuid}</c>: the account audit log (docs page of March 2026). <c>startTime</c> and
/// <c>endTime</c> (ISO-8601, epoch milliseconds or <c>now()-2d</c>) and <c>limit</c> (default 50) are honoured; <c>filter</c>'s grammar is
/// not documented in detail, so it is ignored. The reference page names <c>account-idm-read</c>, the overview
/// <c>account-audit-logs-read</c> (UNCONFIRMED which): either is accepted.
/// </summary>
internal sealed class AuditApi(SandboxState state)
{
    public const string Path = "/audit/v1/accounts/{accountUuid}";
    private static readonly string[] Scopes = ["account-idm-read", "account-audit-logs-read"];

    public void Map(IEndpointRouteBuilder routes) => routes.MapGet(Path, HandleAsync);

    private async Task HandleAsync(HttpContext context)
    {
        if (!Guid.TryParse(context.Request.RouteValues["accountUuid"] as string, out var uuid) || !state.Accounts.TryGetValue(uuid, out var account))
        {
            await SandboxHttp.WriteErrorAsync(context, 404, "Account not found.");
            state.Record(context, "?", SandboxEndpoint.AccountAudit, null);
            return;
        }

        account.Count(SandboxEndpoint.AccountAudit);
        var bearer = await BearerAuth.AuthenticateAsync(context, state, account, Scopes);
        if (bearer is not null)
        {
            await ListAsync(context, account);
        }

        state.Record(context, account.Uuid.ToString(), SandboxEndpoint.AccountAudit, bearer?.ClientId);
    }

    private async Task ListAsync(HttpContext context, SandboxAccount account)
    {
        var query = context.Request.Query;
        if (!TryTime(query["startTime"], out var start) || !TryTime(query["endTime"], out var end))
        {
            await SandboxHttp.WriteQueryViolationAsync(context, "startTime", "must be ISO-8601 or epoch milliseconds");
            return;
        }

        var limit = int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l > 0 ? l : 50;
        var audits = account.AuditEntries
            .Where(e => (start is null || e.Timestamp >= start) && (end is null || e.Timestamp <= end))
            .OrderByDescending(e => e.Timestamp)
            .Take(limit)
            .Select(e => new AccountAuditJson(
                Guid.NewGuid().ToString(), SandboxHttp.FormatDate(e.Timestamp), e.EventType, "SUCCEEDED", e.Resource, e.AuthenticationToken, "TOKEN", e.OriginAddress))
            .ToList();
        await SandboxHttp.WriteJsonAsync(context, 200, new AccountAuditsJson(audits, []), SandboxJsonContext.Default.AccountAuditsJson);
    }

    /// <summary>ISO-8601, epoch milliseconds or relative <c>now()-2d</c> (the docs' form), like a create's expiry.</summary>
    private bool TryTime(string? text, out DateTimeOffset? value)
    {
        value = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (!ExpirationParser.TryParse(text.Replace("now()", "now", StringComparison.Ordinal), state.Clock.GetUtcNow(), out var parsed))
        {
            return false;
        }

        value = parsed;
        return true;
    }
}
