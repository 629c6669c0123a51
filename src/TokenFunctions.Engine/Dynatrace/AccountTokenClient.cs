using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using TokenFunctions.Engine.Dynatrace.Http;
using TokenFunctions.Engine.Dynatrace.Wire;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Dynatrace;

/// <summary>
/// Platform tokens of one account through the Account Management API (<c>{ApiBaseUrl}iam/v1/accounts/{uuid}/platform-tokens</c>),
/// authenticated with a cached OAuth bearer that is fetched again once when the API answers 401.
/// </summary>
public sealed class AccountTokenClient : IAccountTokenClient
{
    private const int FindPageSize = 100;
    private const int FindMaxPages = 20;
    private readonly DynatraceSender _api;
    private readonly OAuthBearerProvider _bearers;
    private readonly DynatraceOptions _options;
    private readonly ILogger _logger;
    private readonly Uri _tokensUrl;

    public AccountTokenClient(
        DynatraceAccount account,
        IHttpClientFactory httpClientFactory,
        ICredentialProvider credentials,
        DynatraceOptions options,
        TimeProvider time,
        ILogger<AccountTokenClient> logger)
    {
        ArgumentNullException.ThrowIfNull(account);
        Account = account with { ApiBaseUrl = DynatraceUrls.WithTrailingSlash(account.ApiBaseUrl) };
        _api = new DynatraceSender(httpClientFactory, DynatraceHttpClientNames.Account, time);
        _bearers = new OAuthBearerProvider(Account, new DynatraceSender(httpClientFactory, DynatraceHttpClientNames.Sso, time), credentials, options, logger);
        _options = options;
        _logger = logger;
        _tokensUrl = new Uri(Account.ApiBaseUrl, $"iam/v1/accounts/{Account.AccountUuid}/platform-tokens");
    }

    public DynatraceAccount Account { get; }

    public Task<DynatraceResult<PlatformTokenPage>> ListAsync(PlatformTokenQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return ListAsync(query, StartDeadline(), cancellationToken);
    }

    public async Task<DynatraceResult<PlatformTokenInfo>> FindAsync(TokenId id, CancellationToken cancellationToken)
    {
        var deadline = StartDeadline();
        PlatformTokenInfo? match = null;
        var walked = await PlatformTokenPaging.WalkAsync(
            query => ListAsync(query, deadline, cancellationToken),
            new PlatformTokenQuery(SearchTerm: id.Value, Size: FindPageSize),
            tokens =>
            {
                // searchTerm also matches names, creators and scopes: only an exact id counts.
                match = tokens.FirstOrDefault(t => string.Equals(t.Id.Value, id.Value, StringComparison.Ordinal));
                return match is not null;
            },
            FindMaxPages);
        if (!walked.IsOk)
        {
            return Report("find", id, walked.As<PlatformTokenInfo>());
        }

        return Report("find", id, match is not null
            ? DynatraceResult<PlatformTokenInfo>.Ok(match)
            : DynatraceResult<PlatformTokenInfo>.Fail(DynatraceStatus.NotFound, new DynatraceError(404, $"No platform token {id} in account {Account.Name}.")));
    }

    public async Task<DynatraceResult<Done>> SetActiveAsync(TokenId id, bool active, CancellationToken cancellationToken)
    {
        var body = DynatraceJson.Serialize(new PlatformTokenStatusBody(active ? "ACTIVE" : "INACTIVE"), DynatraceJsonContext.Default.PlatformTokenStatusBody);

        // The docs' table says 204, their example shows 200: any 2xx is success.
        var response = await SendAsync(() => Json(HttpMethod.Put, TokenUrl(id, "/status"), body), StartDeadline(), idempotent: true, cancellationToken);
        return Report(active ? "activate" : "deactivate", id, response.IsSuccess ? DynatraceResult<Done>.Ok(Done.Value) : response.Fail<Done>());
    }

    public async Task<DynatraceResult<Done>> DeleteAsync(TokenId id, CancellationToken cancellationToken)
    {
        var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, TokenUrl(id, "")), StartDeadline(), idempotent: true, cancellationToken);
        return Report("delete", id, response.IsSuccess ? DynatraceResult<Done>.Ok(Done.Value) : response.Fail<Done>());
    }

    public async Task<DynatraceResult<Done>> SetExpirationAsync(TokenId id, DateTimeOffset expiration, CancellationToken cancellationToken)
    {
        var body = DynatraceJson.Serialize(new PlatformTokenExpirationBody(expiration), DynatraceJsonContext.Default.PlatformTokenExpirationBody);
        var response = await SendAsync(() => Json(HttpMethod.Put, TokenUrl(id, "/expiration-date"), body), StartDeadline(), idempotent: true, cancellationToken);
        return Report("expire", id, response.IsSuccess ? DynatraceResult<Done>.Ok(Done.Value) : response.Fail<Done>());
    }

    public async Task<DynatraceResult<CreatedToken>> CreateAsync(PlatformTokenCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = DynatraceJson.Serialize(
            new PlatformTokenCreateBody(request.Name, request.Scopes, request.Resources, request.Tags ?? [], request.ExpirationDate, request.UserUuid),
            DynatraceJsonContext.Default.PlatformTokenCreateBody);

        // Not idempotent: after a timeout or 5xx the token may exist already, so only a 429 is retried.
        var response = await SendAsync(() => Json(HttpMethod.Post, _tokensUrl, body), StartDeadline(), idempotent: false, cancellationToken);
        if (!response.IsSuccess)
        {
            var failure = response.Fail<CreatedToken>();
            if (failure.Status == DynatraceStatus.Transient && response.Status != 429)
            {
                failure = DynatraceResult<CreatedToken>.Fail(failure.Status, failure.Error! with
                {
                    Message = failure.Error.Message + $" The platform token '{ErrorEnvelopeParser.Clean(request.Name)}' may have been created: search by name before creating it again.",
                });
            }

            return Report("create", default, failure);
        }

        var dto = DynatraceJson.TryDeserialize(response.Body, DynatraceJsonContext.Default.PlatformTokenSecretDto);
        if (dto is null || !TokenSecret.TryParse(dto.Token, out var secret))
        {
            var id = TokenId.TryParse(dto?.TokenId, out var parsed) ? parsed.Value : "(unknown id)";
            return Report("create", default, DynatraceResult<CreatedToken>.Fail(
                DynatraceStatus.BadRequest,
                new DynatraceError(response.Status, $"Dynatrace created platform token {id} but its secret is not in the dt0 format; disable it and investigate.")));
        }

        return Report("create", secret.Id, DynatraceResult<CreatedToken>.Ok(new CreatedToken(secret.Id, secret, request.ExpirationDate)));
    }

    private async Task<DynatraceResult<PlatformTokenPage>> ListAsync(PlatformTokenQuery query, long deadline, CancellationToken cancellationToken)
    {
        var url = new Uri(_tokensUrl.AbsoluteUri + ListQuery(query));
        var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), deadline, idempotent: true, cancellationToken);
        if (!response.IsSuccess)
        {
            return response.Fail<PlatformTokenPage>();
        }

        var dto = DynatraceJson.TryDeserialize(response.Body, DynatraceJsonContext.Default.PlatformTokenPageDto);
        if (dto is null)
        {
            return DynatraceResult<PlatformTokenPage>.Fail(DynatraceStatus.Transient, new DynatraceError(response.Status, "Dynatrace answered with a body that is not the documented JSON."));
        }

        var tokens = new List<PlatformTokenInfo>(dto.Results?.Count ?? 0);
        foreach (var item in dto.Results ?? [])
        {
            if (DynatraceJson.ToInfo(item) is { } info)
            {
                tokens.Add(info);
            }
        }

        var skipped = (dto.Results?.Count ?? 0) - tokens.Count;
        if (skipped > 0)
        {
            DynatraceLog.SkippedUnparseable(_logger, Account.Name, skipped);
        }

        return DynatraceResult<PlatformTokenPage>.Ok(new PlatformTokenPage(tokens, dto.PageNumber ?? query.Page, dto.PageSize ?? query.Size, dto.Total));
    }

    /// <summary>Sends with the account's bearer; a 401 means the bearer went stale, so it is fetched again once.</summary>
    private async Task<DynatraceResponse> SendAsync(Func<HttpRequestMessage> build, long deadline, bool idempotent, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var bearer = await _bearers.GetAsync(deadline, cancellationToken);
            if (!bearer.IsOk)
            {
                return DynatraceResponse.Decided(bearer.Status, bearer.Error!);
            }

            var request = build();
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer.Token);
            var response = await _api.SendAsync(request, deadline, idempotent, cancellationToken);
            if (response.Status != 401 || attempt > 0)
            {
                return response;
            }

            _bearers.Invalidate(bearer.Token!);
        }
    }

    internal static string ListQuery(PlatformTokenQuery query)
    {
        // No page parameter for the first page: the server's default is its first page, whatever its base.
        var sb = new StringBuilder("?size=").Append(query.Size.ToString(CultureInfo.InvariantCulture));
        if (query.Page is { } page)
        {
            sb.Append("&page=").Append(page.ToString(CultureInfo.InvariantCulture));
        }

        if (!string.IsNullOrEmpty(query.SearchTerm))
        {
            sb.Append("&searchTerm=").Append(Uri.EscapeDataString(query.SearchTerm));
        }

        if (!string.IsNullOrEmpty(query.Status))
        {
            sb.Append("&status=").Append(Uri.EscapeDataString(query.Status));
        }

        return sb.ToString();
    }

    private Uri TokenUrl(TokenId id, string suffix) => new(_tokensUrl.AbsoluteUri + "/" + Uri.EscapeDataString(id.Value) + suffix);

    private static HttpRequestMessage Json(HttpMethod method, Uri url, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return new HttpRequestMessage(method, url) { Content = content };
    }

    private long StartDeadline() => DynatraceDeadline.Start(_api.Time, _options.RequestDeadline);

    private DynatraceResult<T> Report<T>(string operation, TokenId id, DynatraceResult<T> result)
    {
        var tokenId = id.Value ?? "-";
        if (result.IsOk || result.Status == DynatraceStatus.NotFound)
        {
            DynatraceLog.Completed(_logger, Account.Name, operation, tokenId, result.Status);
        }
        else
        {
            DynatraceLog.Failed(_logger, Account.Name, operation, tokenId, result.Status, result.Error?.ToString() ?? "");
        }

        return result;
    }
}
