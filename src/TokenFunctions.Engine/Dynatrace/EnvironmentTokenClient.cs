using System.Globalization;
using System.Text;
using TokenFunctions.Engine.Dynatrace.Credentials;
using TokenFunctions.Engine.Dynatrace.Http;
using TokenFunctions.Engine.Dynatrace.Wire;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Dynatrace;

/// <summary>
/// Classic API tokens of one environment over HTTP: Environment API v2 (v1 <c>PUT /api/v1/tokens/{id}</c> for disable
/// where <see cref="DynatraceEnvironment.DisableApi"/> says so), <c>Authorization: Api-Token</c>. Every call ends in a
/// typed result within the request deadline; secrets go only into the header or the lookup body.
/// </summary>
public sealed class EnvironmentTokenClient : IEnvironmentTokenClient
{
    private const string TokensPath = "api/v2/apiTokens";
    private readonly TokenApi _api;
    private readonly ICredentialProvider _credentials;

    /// <summary>
    /// Built by <see cref="DynatraceClientFactory"/>, which owns the HTTP pipeline behind <paramref name="api"/> and hands
    /// over an environment whose base URL ends in <c>/</c>.
    /// </summary>
    internal EnvironmentTokenClient(DynatraceEnvironment environment, TokenApi api, ICredentialProvider credentials)
    {
        Environment = environment;
        _api = api;
        _credentials = credentials;
    }

    public DynatraceEnvironment Environment { get; }

    public async Task<DynatraceResult<ApiTokenInfo>> LookupAsync(TokenSecret token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var deadline = _api.StartDeadline();
        var (response, _) = await SendAsync(Environment.Credential, null, () => LookupRequest(token), deadline, cancellationToken).ConfigureAwait(false);
        return _api.Report("lookup", token.Id, ReadToken(response));
    }

    public async Task<DynatraceResult<ApiTokenInfo>> VerifyWorksAsync(TokenSecret token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var request = LookupRequest(token);
        Authorize(request, token.Reveal());
        var response = await _api.SendAsync(request, _api.StartDeadline(), idempotent: true, cancellationToken).ConfigureAwait(false);
        return _api.Report("verify", token.Id, ReadToken(response));
    }

    public async Task<DynatraceResult<ApiTokenInfo>> GetAsync(TokenId id, CancellationToken cancellationToken)
    {
        var (response, _) = await SendAsync(Environment.Credential, null, () => new HttpRequestMessage(HttpMethod.Get, TokenUrl(id)), _api.StartDeadline(), cancellationToken).ConfigureAwait(false);
        return _api.Report("get", id, ReadToken(response));
    }

    public async Task<DynatraceResult<ApiTokenPage>> ListAsync(ApiTokenQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var url = Url(TokensPath + ListQuery(query));
        var (response, _) = await SendAsync(Environment.Credential, null, () => new HttpRequestMessage(HttpMethod.Get, url), _api.StartDeadline(), cancellationToken).ConfigureAwait(false);
        var page = TokenApi.ReadBody(response, DynatraceJsonContext.Default.ApiTokenListDto);
        if (!page.IsOk)
        {
            return _api.Report("list", default, page.As<ApiTokenPage>());
        }

        var dto = page.Value!;
        var tokens = _api.ReadItems(dto.ApiTokens, item => DynatraceJson.ToInfo(item));
        return DynatraceResult<ApiTokenPage>.Ok(new ApiTokenPage(tokens, string.IsNullOrEmpty(dto.NextPageKey) ? null : dto.NextPageKey, dto.TotalCount));
    }

    public Task<DynatraceResult<Done>> SetEnabledAsync(TokenId id, bool enabled, CancellationToken cancellationToken)
    {
        var operation = enabled ? "enable" : "disable";
        return Environment.DisableApi == DisableApi.V1
            ? WriteAsync(operation, id, () => TokenApi.Json(HttpMethod.Put, Url($"api/v1/tokens/{Escape(id)}"), DynatraceJson.Serialize(new V1RevokedBody(!enabled), DynatraceJsonContext.Default.V1RevokedBody)), cancellationToken)
            : WriteAsync(operation, id, () => TokenApi.Json(HttpMethod.Put, TokenUrl(id), DynatraceJson.Serialize(new ApiTokenEnabledBody(enabled), DynatraceJsonContext.Default.ApiTokenEnabledBody)), cancellationToken);
    }

    public Task<DynatraceResult<Done>> DeleteAsync(TokenId id, CancellationToken cancellationToken) =>
        WriteAsync("delete", id, () => new HttpRequestMessage(HttpMethod.Delete, TokenUrl(id)), cancellationToken);

    public async Task<DynatraceResult<CreatedToken>> CreateAsync(ApiTokenCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = DynatraceJson.Serialize(
            new ApiTokenCreateBody(request.Name, request.Scopes, request.ExpirationDate, request.PersonalAccessToken),
            DynatraceJsonContext.Default.ApiTokenCreateBody);

        // Not idempotent: after a timeout or 5xx the token may exist already, so only a 429 is retried.
        var (response, _) = await SendAsync(Environment.Credential, null, () => TokenApi.Json(HttpMethod.Post, Url(TokensPath), body), _api.StartDeadline(), cancellationToken, idempotent: false).ConfigureAwait(false);
        if (!response.IsSuccess)
        {
            return _api.Report("create", default, MarkClassicCreationOff(_api.CreateFailure(response, request.Name)));
        }

        var dto = DynatraceJson.TryDeserialize(response.Body, DynatraceJsonContext.Default.ApiTokenCreatedDto);
        if (dto is null || !TokenSecret.TryParse(dto.Token, out var secret))
        {
            return _api.Report("create", default, _api.CreatedSecretUnreadable(response, TokenId.TryParse(dto?.Id, out var parsed) ? parsed.Value : null));
        }

        return _api.Report("create", secret.Id, DynatraceResult<CreatedToken>.Ok(new CreatedToken(secret.Id, secret, dto.ExpirationDate ?? request.ExpirationDate)));
    }

    /// <summary>
    /// A write that may target our own credential: Dynatrace answers 400 ("You can't update/disable/delete the token you're
    /// using for authentication"). When we hold the target's secret as the primary credential, the write goes straight to
    /// the secondary, or, with no secondary, is not sent at all: the request would be refused. Otherwise a 400 of that kind (the primary
    /// rotated under us, or Dynatrace knows better) is tried once more with the secondary credential.
    /// </summary>
    private async Task<DynatraceResult<Done>> WriteAsync(string operation, TokenId id, Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        var deadline = _api.StartDeadline();
        bool ownPrimary;
        try
        {
            ownPrimary = IsToken(await _credentials.GetAsync(Environment.Credential, cancellationToken).ConfigureAwait(false), id);
        }
        catch (ManagementCredentialUnavailableException e)
        {
            // The credential cannot be read now: that is the answer, not a reason to ask the store again for the send.
            return _api.Report(operation, id, DynatraceResult<Done>.Fail(e.IsTransient ? DynatraceStatus.Transient : DynatraceStatus.Unauthorized, new DynatraceError(0, e.Message)));
        }

        if (ownPrimary && Environment.SecondaryCredential is null)
        {
            // Dynatrace refuses a token writing to itself (400): a request known to fail is not sent.
            return _api.Report(operation, id, DynatraceResult<Done>.Fail(DynatraceStatus.OwnCredential, new DynatraceError(0,
                $"{id} is this environment's management credential and no SecondaryCredential is configured; Dynatrace does not let a token {operation} itself, so nothing was sent.")));
        }

        if (Environment.SecondaryCredential is { } direct && ownPrimary)
        {
            DynatraceLog.SecondaryFirst(_api.Logger, Environment.Name, operation, id.Value);
            var (only, secondaryIsTarget) = await SendAsync(direct, id, build, deadline, cancellationToken).ConfigureAwait(false);
            return _api.Report(operation, id, only.IsSuccess
                ? DynatraceResult<Done>.Ok(Done.Value)
                : IsOwnCredentialRefusal(only, secondaryIsTarget) ? OwnCredential(only) : only.Fail<Done>());
        }

        var (response, targetIsCaller) = await SendAsync(Environment.Credential, id, build, deadline, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccess)
        {
            return _api.Report(operation, id, DynatraceResult<Done>.Ok(Done.Value));
        }

        if (!IsOwnCredentialRefusal(response, targetIsCaller))
        {
            return _api.Report(operation, id, response.Fail<Done>());
        }

        if (Environment.SecondaryCredential is not { } secondary)
        {
            return _api.Report(operation, id, OwnCredential(response));
        }

        DynatraceLog.UsingSecondary(_api.Logger, Environment.Name, operation, id.Value);
        (response, targetIsCaller) = await SendAsync(secondary, id, build, deadline, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccess)
        {
            return _api.Report(operation, id, DynatraceResult<Done>.Ok(Done.Value));
        }

        return _api.Report(operation, id, IsOwnCredentialRefusal(response, targetIsCaller) ? OwnCredential(response) : response.Fail<Done>());
    }

    /// <summary>A refusal that says classic token creation is switched off here (see <see cref="ClassicCreation"/>) is marked so.</summary>
    private static DynatraceResult<CreatedToken> MarkClassicCreationOff(DynatraceResult<CreatedToken> failure) =>
        failure.Status is DynatraceStatus.Forbidden or DynatraceStatus.BadRequest && ClassicCreation.IsSwitchedOff(failure.Error!.Message)
            ? DynatraceResult<CreatedToken>.Fail(failure.Status, failure.Error with { ClassicCreationDisabled = true })
            : failure;

    private static bool IsToken(string secret, TokenId id) => secret.StartsWith(id.Value + ".", StringComparison.Ordinal);

    /// <summary>
    /// Sends with a credential; on a 401 re-reads a cached Key Vault credential once (it may have been rotated).
    /// <c>TargetIsCaller</c>: the credential is the token being written to.
    /// </summary>
    private async Task<(DynatraceResponse Response, bool TargetIsCaller)> SendAsync(
        CredentialReference credential,
        TokenId? target,
        Func<HttpRequestMessage> build,
        long deadline,
        CancellationToken cancellationToken,
        bool idempotent = true)
    {
        string secret;
        try
        {
            secret = await _credentials.GetAsync(credential, cancellationToken).ConfigureAwait(false);
        }
        catch (ManagementCredentialUnavailableException e)
        {
            return (DynatraceResponse.Decided(e.IsTransient ? DynatraceStatus.Transient : DynatraceStatus.Unauthorized, new DynatraceError(0, e.Message)), false);
        }

        var response = await SendWithAsync(secret, build, deadline, idempotent, cancellationToken).ConfigureAwait(false);
        if (response.Status == 401 && _credentials is IRefreshableCredentialProvider refreshable && credential.KeyVaultSecretName is not null)
        {
            refreshable.Invalidate(credential);
            string? fresh = null;
            try
            {
                fresh = await _credentials.GetAsync(credential, cancellationToken).ConfigureAwait(false);
            }
            catch (ManagementCredentialUnavailableException)
            {
            }

            if (fresh is not null && !string.Equals(fresh, secret, StringComparison.Ordinal))
            {
                DynatraceLog.CredentialRefused(_api.Logger, Environment.Name, credential.ToString());
                secret = fresh;
                response = await SendWithAsync(secret, build, deadline, idempotent, cancellationToken).ConfigureAwait(false);
            }
        }

        return (response, target is { } id && IsToken(secret, id));
    }

    private Task<DynatraceResponse> SendWithAsync(string secret, Func<HttpRequestMessage> build, long deadline, bool idempotent, CancellationToken cancellationToken)
    {
        var request = build();
        Authorize(request, secret);
        return _api.SendAsync(request, deadline, idempotent, cancellationToken);
    }

    private static void Authorize(HttpRequestMessage request, string secret) =>
        request.Headers.TryAddWithoutValidation("Authorization", "Api-Token " + secret);

    /// <summary>A 400 about the token we authenticate with: by Dynatrace's message, or because the target is our credential.</summary>
    internal static bool IsOwnCredentialRefusal(DynatraceResponse response, bool targetIsCaller)
    {
        if (response.Status != 400)
        {
            return false;
        }

        if (targetIsCaller)
        {
            return true;
        }

        var message = ErrorEnvelopeParser.Parse(response.Status, response.Body).Message;
        return message.Contains("using for authentication", StringComparison.OrdinalIgnoreCase)
            || message.Contains("used for authentication", StringComparison.OrdinalIgnoreCase);
    }

    private static DynatraceResult<Done> OwnCredential(DynatraceResponse response)
    {
        var error = ErrorEnvelopeParser.Parse(response.Status, response.Body);
        return DynatraceResult<Done>.Fail(DynatraceStatus.OwnCredential, error with
        {
            Message = error.Message + " The token is this environment's management credential; configure a SecondaryCredential to act on it.",
        });
    }

    private static DynatraceResult<ApiTokenInfo> ReadToken(DynatraceResponse response)
    {
        var read = TokenApi.ReadBody(response, DynatraceJsonContext.Default.ApiTokenDto);
        if (!read.IsOk)
        {
            return read.As<ApiTokenInfo>();
        }

        return DynatraceJson.ToInfo(read.Value!) is { } info
            ? DynatraceResult<ApiTokenInfo>.Ok(info)
            : DynatraceResult<ApiTokenInfo>.Fail(DynatraceStatus.BadRequest, new DynatraceError(response.Status, "The token's id is not in the dt0 format."));
    }

    private HttpRequestMessage LookupRequest(TokenSecret token) =>
        TokenApi.Json(HttpMethod.Post, Url(TokensPath + "/lookup"), DynatraceJson.Serialize(new TokenSecretBody(token.Reveal()), DynatraceJsonContext.Default.TokenSecretBody));

    /// <summary>With <c>nextPageKey</c> Dynatrace requires every other parameter to be left out.</summary>
    internal static string ListQuery(ApiTokenQuery query)
    {
        if (!string.IsNullOrEmpty(query.NextPageKey))
        {
            return "?nextPageKey=" + Uri.EscapeDataString(query.NextPageKey);
        }

        var sb = new StringBuilder();
        Append(sb, "apiTokenSelector", query.ApiTokenSelector);
        Append(sb, "fields", query.Fields);
        Append(sb, "pageSize", query.PageSize?.ToString(CultureInfo.InvariantCulture));
        return sb.ToString();

        static void Append(StringBuilder sb, string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                sb.Append(sb.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            }
        }
    }

    private Uri TokenUrl(TokenId id) => Url($"{TokensPath}/{Escape(id)}");

    private Uri Url(string relative) => new(Environment.ApiBaseUrl, relative);

    private static string Escape(TokenId id) => Uri.EscapeDataString(id.Value);
}
