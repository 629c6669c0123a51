using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
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
    private readonly DynatraceSender _sender;
    private readonly ICredentialProvider _credentials;
    private readonly DynatraceOptions _options;
    private readonly ILogger _logger;

    public EnvironmentTokenClient(
        DynatraceEnvironment environment,
        IHttpClientFactory httpClientFactory,
        ICredentialProvider credentials,
        DynatraceOptions options,
        TimeProvider time,
        ILogger<EnvironmentTokenClient> logger)
    {
        ArgumentNullException.ThrowIfNull(environment);
        Environment = environment with { ApiBaseUrl = DynatraceUrls.WithTrailingSlash(environment.ApiBaseUrl) };
        _sender = new DynatraceSender(httpClientFactory, DynatraceHttpClientNames.Environment, time);
        _credentials = credentials;
        _options = options;
        _logger = logger;
    }

    public DynatraceEnvironment Environment { get; }

    public async Task<DynatraceResult<ApiTokenInfo>> LookupAsync(TokenSecret token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var deadline = StartDeadline();
        var (response, _) = await SendAsync(Environment.Credential, null, () => LookupRequest(token), deadline, cancellationToken).ConfigureAwait(false);
        return Report("lookup", token.Id, ReadToken(response));
    }

    public async Task<DynatraceResult<ApiTokenInfo>> VerifyWorksAsync(TokenSecret token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var request = LookupRequest(token);
        Authorize(request, token.Reveal());
        var response = await _sender.SendAsync(request, StartDeadline(), idempotent: true, cancellationToken).ConfigureAwait(false);
        return Report("verify", token.Id, ReadToken(response));
    }

    public async Task<DynatraceResult<ApiTokenInfo>> GetAsync(TokenId id, CancellationToken cancellationToken)
    {
        var (response, _) = await SendAsync(Environment.Credential, null, () => new HttpRequestMessage(HttpMethod.Get, TokenUrl(id)), StartDeadline(), cancellationToken).ConfigureAwait(false);
        return Report("get", id, ReadToken(response));
    }

    public async Task<DynatraceResult<ApiTokenPage>> ListAsync(ApiTokenQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var url = Url(TokensPath + ListQuery(query));
        var (response, _) = await SendAsync(Environment.Credential, null, () => new HttpRequestMessage(HttpMethod.Get, url), StartDeadline(), cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess)
        {
            return Report("list", default, response.Fail<ApiTokenPage>());
        }

        var dto = DynatraceJson.TryDeserialize(response.Body, DynatraceJsonContext.Default.ApiTokenListDto);
        if (dto is null)
        {
            return Report("list", default, Unreadable<ApiTokenPage>(response));
        }

        var tokens = new List<ApiTokenInfo>(dto.ApiTokens?.Count ?? 0);
        foreach (var item in dto.ApiTokens ?? [])
        {
            if (DynatraceJson.ToInfo(item) is { } info)
            {
                tokens.Add(info);
            }
        }

        var skipped = (dto.ApiTokens?.Count ?? 0) - tokens.Count;
        if (skipped > 0)
        {
            DynatraceLog.SkippedUnparseable(_logger, Environment.Name, skipped);
        }

        return DynatraceResult<ApiTokenPage>.Ok(new ApiTokenPage(tokens, string.IsNullOrEmpty(dto.NextPageKey) ? null : dto.NextPageKey, dto.TotalCount));
    }

    public Task<DynatraceResult<Done>> SetEnabledAsync(TokenId id, bool enabled, CancellationToken cancellationToken)
    {
        var operation = enabled ? "enable" : "disable";
        return Environment.DisableApi == DisableApi.V1
            ? WriteAsync(operation, id, () => Json(HttpMethod.Put, Url($"api/v1/tokens/{Escape(id)}"), DynatraceJson.Serialize(new V1RevokedBody(!enabled), DynatraceJsonContext.Default.V1RevokedBody)), cancellationToken)
            : WriteAsync(operation, id, () => Json(HttpMethod.Put, TokenUrl(id), DynatraceJson.Serialize(new ApiTokenEnabledBody(enabled), DynatraceJsonContext.Default.ApiTokenEnabledBody)), cancellationToken);
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
        var (response, _) = await SendAsync(Environment.Credential, null, () => Json(HttpMethod.Post, Url(TokensPath), body), StartDeadline(), cancellationToken, idempotent: false).ConfigureAwait(false);
        if (!response.IsSuccess)
        {
            var failure = response.Fail<CreatedToken>();
            if (failure.Status == DynatraceStatus.Transient && response.Status != 429)
            {
                failure = DynatraceResult<CreatedToken>.Fail(failure.Status, failure.Error! with
                {
                    Message = failure.Error.Message + $" The token '{ErrorEnvelopeParser.Clean(request.Name)}' may have been created: list by name before creating it again.",
                });
            }
            else if (failure.Status is DynatraceStatus.Forbidden or DynatraceStatus.BadRequest && ClassicCreation.IsSwitchedOff(failure.Error!.Message))
            {
                failure = DynatraceResult<CreatedToken>.Fail(failure.Status, failure.Error with { ClassicCreationDisabled = true });
            }

            return Report("create", default, failure);
        }

        var dto = DynatraceJson.TryDeserialize(response.Body, DynatraceJsonContext.Default.ApiTokenCreatedDto);
        if (dto is null || !TokenSecret.TryParse(dto.Token, out var secret))
        {
            var id = TokenId.TryParse(dto?.Id, out var parsed) ? parsed.Value : "(unknown id)";
            return Report("create", default, DynatraceResult<CreatedToken>.Fail(
                DynatraceStatus.BadRequest,
                new DynatraceError(response.Status, $"Dynatrace created token {id} but its secret is not in the dt0 format; disable it and investigate.")));
        }

        return Report("create", secret.Id, DynatraceResult<CreatedToken>.Ok(new CreatedToken(secret.Id, secret, dto.ExpirationDate ?? request.ExpirationDate)));
    }

    /// <summary>
    /// A write that may target our own credential: Dynatrace answers 400 ("You can't update/disable/delete the token you're
    /// using for authentication"). When we hold the target's secret as the primary credential, the write goes straight to
    /// the secondary, or, with no secondary, is not sent at all: the request would be refused. Otherwise a 400 of that kind (the primary
    /// rotated under us, or Dynatrace knows better) is tried once more with the secondary credential.
    /// </summary>
    private async Task<DynatraceResult<Done>> WriteAsync(string operation, TokenId id, Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        var deadline = StartDeadline();
        bool ownPrimary;
        try
        {
            ownPrimary = IsToken(await _credentials.GetAsync(Environment.Credential, cancellationToken).ConfigureAwait(false), id);
        }
        catch (ManagementCredentialUnavailableException e)
        {
            // The credential cannot be read now: that is the answer, not a reason to ask the store again for the send.
            return Report(operation, id, DynatraceResult<Done>.Fail(e.IsTransient ? DynatraceStatus.Transient : DynatraceStatus.Unauthorized, new DynatraceError(0, e.Message)));
        }

        if (ownPrimary && Environment.SecondaryCredential is null)
        {
            // Dynatrace refuses a token writing to itself (400): a request known to fail is not sent.
            return Report(operation, id, DynatraceResult<Done>.Fail(DynatraceStatus.OwnCredential, new DynatraceError(0,
                $"{id} is this environment's management credential and no SecondaryCredential is configured; Dynatrace does not let a token {operation} itself, so nothing was sent.")));
        }

        if (Environment.SecondaryCredential is { } direct && ownPrimary)
        {
            DynatraceLog.SecondaryFirst(_logger, Environment.Name, operation, id.Value);
            var (only, secondaryIsTarget) = await SendAsync(direct, id, build, deadline, cancellationToken).ConfigureAwait(false);
            return Report(operation, id, only.IsSuccess
                ? DynatraceResult<Done>.Ok(Done.Value)
                : IsOwnCredentialRefusal(only, secondaryIsTarget) ? OwnCredential(only) : only.Fail<Done>());
        }

        var (response, targetIsCaller) = await SendAsync(Environment.Credential, id, build, deadline, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccess)
        {
            return Report(operation, id, DynatraceResult<Done>.Ok(Done.Value));
        }

        if (!IsOwnCredentialRefusal(response, targetIsCaller))
        {
            return Report(operation, id, response.Fail<Done>());
        }

        if (Environment.SecondaryCredential is not { } secondary)
        {
            return Report(operation, id, OwnCredential(response));
        }

        DynatraceLog.UsingSecondary(_logger, Environment.Name, operation, id.Value);
        (response, targetIsCaller) = await SendAsync(secondary, id, build, deadline, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccess)
        {
            return Report(operation, id, DynatraceResult<Done>.Ok(Done.Value));
        }

        return Report(operation, id, IsOwnCredentialRefusal(response, targetIsCaller) ? OwnCredential(response) : response.Fail<Done>());
    }

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
                DynatraceLog.CredentialRefused(_logger, Environment.Name, credential.ToString());
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
        return _sender.SendAsync(request, deadline, idempotent, cancellationToken);
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
        if (!response.IsSuccess)
        {
            return response.Fail<ApiTokenInfo>();
        }

        var dto = DynatraceJson.TryDeserialize(response.Body, DynatraceJsonContext.Default.ApiTokenDto);
        if (dto is null)
        {
            return Unreadable<ApiTokenInfo>(response);
        }

        return DynatraceJson.ToInfo(dto) is { } info
            ? DynatraceResult<ApiTokenInfo>.Ok(info)
            : DynatraceResult<ApiTokenInfo>.Fail(DynatraceStatus.BadRequest, new DynatraceError(response.Status, "The token's id is not in the dt0 format."));
    }

    private static DynatraceResult<T> Unreadable<T>(DynatraceResponse response) =>
        DynatraceResult<T>.Fail(DynatraceStatus.Transient, new DynatraceError(response.Status, "Dynatrace answered with a body that is not the documented JSON."));

    private HttpRequestMessage LookupRequest(TokenSecret token) =>
        Json(HttpMethod.Post, Url(TokensPath + "/lookup"), DynatraceJson.Serialize(new TokenSecretBody(token.Reveal()), DynatraceJsonContext.Default.TokenSecretBody));

    private static HttpRequestMessage Json(HttpMethod method, Uri url, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return new HttpRequestMessage(method, url) { Content = content };
    }

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

    private long StartDeadline() => DynatraceDeadline.Start(_sender.Time, _options.RequestDeadline);

    private DynatraceResult<T> Report<T>(string operation, TokenId id, DynatraceResult<T> result)
    {
        var tokenId = id.Value ?? "-";
        if (result.IsOk || result.Status == DynatraceStatus.NotFound)
        {
            DynatraceLog.Completed(_logger, Environment.Name, operation, tokenId, result.Status);
        }
        else
        {
            DynatraceLog.Failed(_logger, Environment.Name, operation, tokenId, result.Status, result.Error?.ToString() ?? "");
        }

        return result;
    }
}
