using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Audit;

/// <summary>
/// <c>GET /api/audit</c>: <c>?tokenId=dt0c01.X</c> | <c>?incidentId=…</c> | <c>?from=…&amp;to=…</c> (ISO 8601, <c>to</c>
/// defaults to now), each with optional <c>limit</c> and <c>continuation</c>; a token or incident query may add
/// <c>from</c>/<c>to</c> too. Authorization (function keys) is the function app's job. Bad parameters are a 400 whose
/// message never repeats the caller's input (it might be a pasted secret).
/// </summary>
public sealed class AuditQueryEndpoint
{
    private static readonly string[] KnownParameters = ["tokenId", "incidentId", "from", "to", "limit", "continuation", "code"];

    private readonly IAuditQuery _query;
    private readonly AuditOptions _options;
    private readonly TimeProvider _timeProvider;

    public AuditQueryEndpoint(IAuditQuery query, IOptions<AuditOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        _query = query;
        _options = options.Value;
        _timeProvider = timeProvider;
    }

    public async Task<IActionResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!HttpMethods.IsGet(request.Method))
        {
            return Problem(StatusCodes.Status405MethodNotAllowed, "Method not allowed", "Use GET.");
        }

        var (query, error) = Parse(request.Query);
        error ??= query?.Validate(_options, _timeProvider.GetUtcNow());
        if (error is not null || query is null)
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid audit query", error ?? "Invalid query.");
        }

        AuditPage page;
        try
        {
            page = await _query.QueryAsync(query, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or Azure.Identity.AuthenticationFailedException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Storage trouble is not the caller's fault and its details (URLs, account names) are not theirs to see.
            return Problem(StatusCodes.Status503ServiceUnavailable, "Audit store unavailable", "The audit store did not answer; try again shortly.");
        }

        var records = page.Entries.Select(AuditRecordDto.From).ToList();
        return new JsonBodyResult<AuditQueryResponse>(
            new AuditQueryResponse(records.Count, records, page.Continuation),
            AuditJsonContext.Default.AuditQueryResponse,
            StatusCodes.Status200OK);
    }

    internal static (AuditQuery? Query, string? Error) Parse(IQueryCollection parameters)
    {
        if (CheckNames(parameters) is { } namesError)
        {
            return (null, namesError);
        }

        if (ParseTokenId(Value(parameters, "tokenId"), out var tokenId) is { } tokenError)
        {
            return (null, tokenError);
        }

        var incidentId = Value(parameters, "incidentId");
        if (incidentId is not null && Redaction.Redact(incidentId) != incidentId)
        {
            return (null, "incidentId must not contain a token. Treat the token you sent as leaked.");
        }

        if (!TryTime(Value(parameters, "from"), out var from) || !TryTime(Value(parameters, "to"), out var to))
        {
            return (null, "from and to must be ISO 8601 instants, e.g. 2026-09-01T12:00:00Z.");
        }

        if (ParseLimit(Value(parameters, "limit"), out var limit) is { } limitError)
        {
            return (null, limitError);
        }

        return (new AuditQuery
        {
            TokenId = tokenId,
            IncidentId = incidentId,
            From = from,
            To = to,
            Limit = limit,
            Continuation = Value(parameters, "continuation"),
        }, null);
    }

    /// <summary>Only known parameters, each at most once; null when they are.</summary>
    private static string? CheckNames(IQueryCollection parameters)
    {
        foreach (var (key, values) in parameters)
        {
            if (!KnownParameters.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                return "Unknown parameter; use tokenId, incidentId, from, to, limit, continuation.";
            }

            if (values.Count > 1)
            {
                return "Give each parameter at most once.";
            }
        }

        return null;
    }

    /// <summary>The optional token id (null when absent); the error when it is not a public id.</summary>
    private static string? ParseTokenId(string? raw, out TokenId? tokenId)
    {
        tokenId = null;
        if (raw is null)
        {
            return null;
        }

        if (TokenSecret.TryParse(raw, out _) || TokenScanner.FindAll(raw).Count > 0)
        {
            // Someone pasted the whole token: refuse without echoing it. It is now in a URL, so it counts as leaked.
            return "tokenId must be the public id only (dt0c01.PUBLIC), never the full token. Treat the token you sent as leaked.";
        }

        if (!TokenId.TryParse(raw, out var parsed))
        {
            return "tokenId must be a Dynatrace token id such as dt0c01.ABCDEFGH12345678ABCDEFGH.";
        }

        tokenId = parsed;
        return null;
    }

    /// <summary>The optional limit (null when absent); the error when it is not a whole number.</summary>
    private static string? ParseLimit(string? raw, out int? limit)
    {
        limit = null;
        if (raw is null)
        {
            return null;
        }

        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            return "limit must be a whole number.";
        }

        limit = parsed;
        return null;
    }

    private static string? Value(IQueryCollection parameters, string name) =>
        parameters.TryGetValue(name, out var values) && values.Count == 1 ? values[0] : null;

    private static bool TryTime(string? raw, out DateTimeOffset? value)
    {
        value = null;
        if (raw is null)
        {
            return true;
        }

        if (DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            value = parsed;
            return true;
        }

        return false;
    }

    private static JsonBodyResult<AuditProblem> Problem(int status, string title, string detail) =>
        new(new AuditProblem(title, status, detail), AuditJsonContext.Default.AuditProblem, status);
}
