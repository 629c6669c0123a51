using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using TokenFunctions.Engine.Dynatrace.Http;
using TokenFunctions.Engine.Dynatrace.Wire;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Dynatrace;

/// <summary>
/// Platform tokens of one account through the Account Management API (<c>{ApiBaseUrl}iam/v1/accounts/{uuid}/platform-tokens</c>),
/// authenticated with a cached OAuth bearer that is fetched again once when the API answers 401, and once under the other
/// scope family when it answers 403 (see <see cref="PlatformScopeFamily"/>). Where the docs admit more than one reading
/// (reference §10) it works under each and remembers which it met (<see cref="Readings"/>): both paging parameter pairs
/// are sent, ids may be <c>dt0s16.PUBLIC</c> or the server's own (learned from list items, searches and create answers),
/// list items may lack <c>status</c>, and last use may be <c>lastClientId</c> or <c>lastClientIp</c>.
/// </summary>
public sealed class AccountTokenClient : IAccountTokenClient
{
    private const int FindPageSize = 100;
    private const int FindMaxPages = 20;
    private readonly TokenApi _api;
    private readonly OAuthBearerProvider _bearers;
    private readonly Uri _tokensUrl;
    private readonly PlatformIdBook _ids = new();
    private readonly string _noMatchTerm = "tokenfunctions-probe-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
    private volatile string? _pagingNames;
    private int _pageBase = -1;
    private int _honoursSearch = -1;
    private string? _reported;

    /// <summary>
    /// Built by <see cref="DynatraceClientFactory"/>, which owns the HTTP pipelines behind <paramref name="api"/> and
    /// <paramref name="bearers"/> and hands over an account whose base URL ends in <c>/</c>.
    /// </summary>
    internal AccountTokenClient(DynatraceAccount account, TokenApi api, OAuthBearerProvider bearers)
    {
        Account = account;
        _api = api;
        _bearers = bearers;
        _tokensUrl = new Uri(Account.ApiBaseUrl, $"iam/v1/accounts/{Account.AccountUuid}/platform-tokens");
    }

    public DynatraceAccount Account { get; }

    public PlatformReadings Readings => new()
    {
        ScopeFamily = _bearers.HeldFamily?.Name,
        IdForm = _ids.Form,
        PagingNames = _pagingNames,
        PageBase = Volatile.Read(ref _pageBase) is >= 0 and var b ? b : null,
        HonoursSearchTerm = Volatile.Read(ref _honoursSearch) switch { 0 => false, 1 => true, _ => null },
    };

    public Task<DynatraceResult<PlatformTokenPage>> ListAsync(PlatformTokenQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return ListAsync(query, _api.StartDeadline(), cancellationToken);
    }

    public async Task<DynatraceResult<PlatformTokenInfo>> FindAsync(TokenId id, CancellationToken cancellationToken)
    {
        var deadline = _api.StartDeadline();
        PlatformTokenInfo? exact = null;
        var hidden = new List<PlatformTokenInfo>();
        var walked = await PlatformTokenPaging.WalkAsync(
            query => ListAsync(query, deadline, cancellationToken),
            new PlatformTokenQuery(SearchTerm: id.Value, Size: FindPageSize),
            tokens =>
            {
                // searchTerm also matches names, creators and scopes: only the id itself, or a match on nothing shown, counts.
                exact = PlatformTokenMatch.Exact(tokens, id);
                hidden.AddRange(PlatformTokenMatch.HiddenMatches(tokens, id));
                return exact is not null;
            },
            FindMaxPages).ConfigureAwait(false);
        if (!walked.IsOk)
        {
            return _api.Report("find", id, walked.As<PlatformTokenInfo>());
        }

        if (exact is not null)
        {
            _ids.Remember(id, exact.ServerId);
            return _api.Report("find", id, DynatraceResult<PlatformTokenInfo>.Ok(exact with { Id = id }));
        }

        if (!id.IsServerForm && hidden.Count == 1 && await HonoursSearchTermAsync(deadline, cancellationToken).ConfigureAwait(false))
        {
            _ids.Remember(id, hidden[0].ServerId);
            _ids.LearnedSearchFindsPrefixedIds();
            return _api.Report("find", id, DynatraceResult<PlatformTokenInfo>.Ok(hidden[0] with { Id = id }));
        }

        return _api.Report("find", id, hidden.Count > 1
            ? Unaddressable<PlatformTokenInfo>(id, $"a search for it listed {hidden.Count} tokens with ids of the server's own form, none named by it")
            : await AbsentAsync(id, deadline, cancellationToken).ConfigureAwait(false));
    }

    public Task<DynatraceResult<Done>> SetActiveAsync(TokenId id, bool active, CancellationToken cancellationToken)
    {
        var body = DynatraceJson.Serialize(new PlatformTokenStatusBody(active ? "ACTIVE" : "INACTIVE"), DynatraceJsonContext.Default.PlatformTokenStatusBody);

        // The docs' table says 204, their example shows 200: any 2xx is success.
        return WriteAsync(active ? "activate" : "deactivate", id, address => TokenApi.Json(HttpMethod.Put, TokenUrl(address, "/status"), body), cancellationToken);
    }

    public Task<DynatraceResult<Done>> DeleteAsync(TokenId id, CancellationToken cancellationToken) =>
        WriteAsync("delete", id, address => new HttpRequestMessage(HttpMethod.Delete, TokenUrl(address, "")), cancellationToken);

    public async Task<DynatraceResult<CreatedToken>> CreateAsync(PlatformTokenCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = DynatraceJson.Serialize(
            new PlatformTokenCreateBody(request.Name, request.Scopes, request.Resources, request.Tags ?? [], request.ExpirationDate, request.UserUuid),
            DynatraceJsonContext.Default.PlatformTokenCreateBody);

        // Not idempotent: after a timeout or 5xx the token may exist already, so only a 429 is retried.
        var response = await SendAsync(() => TokenApi.Json(HttpMethod.Post, _tokensUrl, body), _api.StartDeadline(), idempotent: false, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess)
        {
            return _api.Report("create", default, _api.CreateFailure(response, request.Name));
        }

        var dto = DynatraceJson.TryDeserialize(response.Body, DynatraceJsonContext.Default.PlatformTokenSecretDto);
        if (dto is null || !TokenSecret.TryParse(dto.Token, out var secret))
        {
            return _api.Report("create", default, _api.CreatedSecretUnreadable(response, TokenId.TryFromServer(dto?.TokenId, out var parsed) ? parsed.Value : null));
        }

        // The answer's tokenId is how the server will name the token from now on; its secret says which dt0s16 id that is.
        var serverId = TokenId.TryFromServer(dto.TokenId, out _) ? dto.TokenId : null;
        if (serverId is not null)
        {
            _ids.Remember(secret.Id, serverId);
            ReportReadings();
        }

        var created = new CreatedToken(secret.Id, secret, request.ExpirationDate)
        {
            ServerId = serverId is not null && !string.Equals(serverId, secret.Id.Value, StringComparison.Ordinal) ? serverId : null,
        };
        return _api.Report("create", secret.Id, DynatraceResult<CreatedToken>.Ok(created));
    }

    public async Task<DynatraceResult<IReadOnlyList<AccountAuditEntry>>> ReadAuditLogAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var url = new Uri(Account.ApiBaseUrl, $"audit/v1/accounts/{Account.AccountUuid}?startTime="
            + Uri.EscapeDataString(since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)) + "&limit=1000");
        // A 403 here is about the audit log's own scope, not the platform-token family: no family switch.
        var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), _api.StartDeadline(), idempotent: true, cancellationToken, switchFamilyOn403: false).ConfigureAwait(false);
        var read = TokenApi.ReadBody(response, DynatraceJsonContext.Default.AccountAuditsDto, "The account audit log");
        if (!read.IsOk)
        {
            return read.As<IReadOnlyList<AccountAuditEntry>>();
        }

        return DynatraceResult<IReadOnlyList<AccountAuditEntry>>.Ok([.. (read.Value!.Audits ?? []).Select(a => new AccountAuditEntry
        {
            Timestamp = a.Timestamp,
            EventType = a.EventType,
            EventOutcome = a.EventOutcome,
            Resource = a.Resource,
            AuthenticationToken = a.AuthenticationToken,
            AuthenticationClientId = a.AuthenticationClientId,
            OriginAddress = a.OriginAddress,
        })]);
    }

    /// <summary>
    /// One write at the learned server id (or the id itself). A 404 proves absence only where the address is in the
    /// server's own form or the server is known to use <c>dt0s16</c> ids; elsewhere it is <see cref="DynatraceStatus.Unaddressable"/>.
    /// </summary>
    private async Task<DynatraceResult<Done>> WriteAsync(string operation, TokenId id, Func<string, HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        var address = _ids.AddressOf(id);
        var response = await SendAsync(() => build(address), _api.StartDeadline(), idempotent: true, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccess)
        {
            if (TokenId.TryParse(address, out _) && _ids.Form != PlatformIdForm.Prefixed)
            {
                // A dt0s16 path worked: this server names tokens as the docs do.
                _ids.Saw(address);
                ReportReadings();
            }

            return _api.Report(operation, id, DynatraceResult<Done>.Ok(Done.Value));
        }

        if (response.Status != 404 || response.TransportFailure is not null)
        {
            return _api.Report(operation, id, response.Fail<Done>());
        }

        if (_ids.NotFoundIsConclusive(address))
        {
            _ids.Forget(id);
            return _api.Report(operation, id, response.Fail<Done>());
        }

        DynatraceLog.AddressUnknown(_api.Logger, Account.Name, id.Value, _ids.Form);
        return _api.Report(operation, id, Unaddressable<Done>(id, "the API answered 404 under this id"));
    }

    /// <summary>Nothing singled the token out: NotFound where that proves absence, otherwise Unaddressable.</summary>
    private async Task<DynatraceResult<PlatformTokenInfo>> AbsentAsync(TokenId id, long deadline, CancellationToken cancellationToken)
    {
        if (_ids.Form == PlatformIdForm.Unknown && !id.IsServerForm)
        {
            // One unfiltered item shows the id form (or that the account has no platform tokens at all).
            var probe = await ListAsync(new PlatformTokenQuery(Size: 1), deadline, cancellationToken).ConfigureAwait(false);
            if (!probe.IsOk)
            {
                return probe.As<PlatformTokenInfo>();
            }

            if (probe.Value!.Tokens.Count == 0 && probe.Value.Total is 0 or null)
            {
                return NotFound(id);
            }
        }

        return id.IsServerForm || _ids.Form == PlatformIdForm.Prefixed || _ids.SearchFindsPrefixedIds
            ? NotFound(id)
            : Unaddressable<PlatformTokenInfo>(id, "a search for it found nothing, and this server's tokens carry ids of its own form, which its list does not map to dt0s16 ids");
    }

    /// <summary>Whether the server applies <c>searchTerm</c>: a term nothing can match must list nothing. Asked once.</summary>
    private async Task<bool> HonoursSearchTermAsync(long deadline, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _honoursSearch) is >= 0 and var known)
        {
            return known == 1;
        }

        var probe = await ListAsync(new PlatformTokenQuery(SearchTerm: _noMatchTerm, Size: 1), deadline, cancellationToken).ConfigureAwait(false);
        if (!probe.IsOk)
        {
            return false;
        }

        var honours = probe.Value!.Tokens.Count == 0;
        Volatile.Write(ref _honoursSearch, honours ? 1 : 0);
        ReportReadings();
        return honours;
    }

    private async Task<DynatraceResult<PlatformTokenPage>> ListAsync(PlatformTokenQuery query, long deadline, CancellationToken cancellationToken)
    {
        var url = new Uri(_tokensUrl.AbsoluteUri + ListQuery(query));
        var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), deadline, idempotent: true, cancellationToken).ConfigureAwait(false);
        var page = TokenApi.ReadBody(response, DynatraceJsonContext.Default.PlatformTokenPageDto);
        if (!page.IsOk)
        {
            return page.As<PlatformTokenPage>();
        }

        var dto = page.Value!;
        var tokens = _api.ReadItems(dto.Results, item => DynatraceJson.ToInfo(item, _ids.IdOf));
        Learn(query, dto, tokens);
        return DynatraceResult<PlatformTokenPage>.Ok(new PlatformTokenPage(tokens, dto.PageNumber ?? query.Page, dto.PageSize ?? query.Size, dto.Total));
    }

    /// <summary>What a page shows of the readings: the id form, the first page's number, which size was echoed.</summary>
    private void Learn(PlatformTokenQuery query, PlatformTokenPageDto dto, List<PlatformTokenInfo> tokens)
    {
        if (tokens.Count > 0)
        {
            _ids.Saw(tokens[0].ServerId);
        }

        if (query.Page is null && dto.PageNumber is { } first and (0 or 1))
        {
            Volatile.Write(ref _pageBase, first);
        }

        var dtctlSize = DtctlPageSize(query.Size);
        if (dtctlSize != query.Size && dto.PageSize is { } echoed)
        {
            _pagingNames = echoed == query.Size ? "page/size" : echoed == dtctlSize ? "pageNumber/pageSize" : _pagingNames;
        }

        ReportReadings();
    }

    /// <summary>Logs the readings met each time they change, so an operator learns which one the live service uses.</summary>
    private void ReportReadings()
    {
        var now = Readings.Describe();
        if (!string.Equals(Interlocked.Exchange(ref _reported, now), now, StringComparison.Ordinal))
        {
            DynatraceLog.ReadingsLearned(_api.Logger, Account.Name, now);
        }
    }

    /// <summary>
    /// Sends with the account's bearer; a 401 means the bearer went stale, so it is fetched again once; a 403 may mean the
    /// service enforces the other scope family, so that family is fetched and the call tried once more.
    /// </summary>
    private async Task<DynatraceResponse> SendAsync(Func<HttpRequestMessage> build, long deadline, bool idempotent, CancellationToken cancellationToken, bool switchFamilyOn403 = true)
    {
        var refreshed = false;
        var switched = !switchFamilyOn403;
        while (true)
        {
            var bearer = await _bearers.GetAsync(deadline, cancellationToken).ConfigureAwait(false);
            if (!bearer.IsOk)
            {
                return DynatraceResponse.Decided(bearer.Status, bearer.Error!);
            }

            var request = build();
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer.Token);
            var response = await _api.SendAsync(request, deadline, idempotent, cancellationToken).ConfigureAwait(false);
            if (response.Status == 401 && !refreshed)
            {
                refreshed = true;
                _bearers.Invalidate(bearer.Token!);
                continue;
            }

            if (response.Status == 403 && !switched && _bearers.TryNextFamily(bearer.Token!))
            {
                switched = true;
                continue;
            }

            if (response.IsSuccess && _reported is null)
            {
                ReportReadings();
            }

            return response;
        }
    }

    /// <summary>
    /// Both paging pairs: the docs' <c>page</c>/<c>size</c> and dtctl's <c>pageNumber</c>/<c>pageSize</c>, so a server that
    /// honours either pages correctly with no extra request. The two sizes differ by one so the echoed <c>pageSize</c> says
    /// which pair the server read. No page parameter for the first page: the server's default is its first page, whatever
    /// its base.
    /// </summary>
    internal static string ListQuery(PlatformTokenQuery query)
    {
        var sb = new StringBuilder("?size=").Append(query.Size.ToString(CultureInfo.InvariantCulture))
            .Append("&pageSize=").Append(DtctlPageSize(query.Size).ToString(CultureInfo.InvariantCulture));
        if (query.Page is { } page)
        {
            var number = page.ToString(CultureInfo.InvariantCulture);
            sb.Append("&page=").Append(number).Append("&pageNumber=").Append(number);
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

    private static int DtctlPageSize(int size) => size > 1 ? size - 1 : size;

    private Uri TokenUrl(string address, string suffix) => new(_tokensUrl.AbsoluteUri + "/" + Uri.EscapeDataString(address) + suffix);

    private DynatraceResult<PlatformTokenInfo> NotFound(TokenId id) =>
        DynatraceResult<PlatformTokenInfo>.Fail(DynatraceStatus.NotFound, new DynatraceError(404, $"No platform token {id} in account {Account.Name}."));

    private DynatraceResult<T> Unaddressable<T>(TokenId id, string why) => DynatraceResult<T>.Fail(
        DynatraceStatus.Unaddressable,
        new DynatraceError(404, $"Cannot address platform token {id} in account {Account.Name} (id form unknown): {why}. Readings met: {Readings.Describe()}."));
}
