using Microsoft.Extensions.Logging;
using TokenFunctions.Engine.Dynatrace.Credentials;
using TokenFunctions.Engine.Dynatrace.Wire;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Dynatrace.Http;

/// <summary>
/// The OAuth bearer of one account (client-credentials grant against the SSO), cached until
/// <see cref="DynatraceOptions.BearerRefreshMargin"/> before <c>expires_in</c> runs out (documented lifetime 300 s).
/// One fetch at a time; concurrent callers wait for it. SSO answering 400/401 means the client credentials are wrong:
/// Unauthorized, after trying the secondary client when one is configured. <c>400 invalid_scope</c> means the client was
/// not granted a scope asked for: the next <see cref="PlatformScopeFamily"/> is tried (automatic scopes only), and when none
/// is left, Forbidden with <see cref="DynatraceError.RejectedScopes"/> and a message naming the scopes and the setting to fix,
/// logged as an error. The family that worked is kept for the life of the process.
/// </summary>
internal sealed class OAuthBearerProvider(
    DynatraceAccount account,
    DynatraceSender sso,
    ICredentialProvider credentials,
    DynatraceOptions options,
    ILogger logger)
{
    private static readonly TimeSpan DocumentedLifetime = TimeSpan.FromSeconds(300);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly IReadOnlyList<PlatformScopeFamily> _families = account.ScopeFamilies;
    private Cached? _cached;
    private int _family;

    /// <summary>The family asked for now (the one that worked, once a bearer was issued).</summary>
    public PlatformScopeFamily Family => _families[Volatile.Read(ref _family)];

    /// <summary>The family of the bearer in the cache, or null when none was issued yet.</summary>
    public PlatformScopeFamily? HeldFamily => _cached?.Family;

    /// <summary>
    /// The API refused <paramref name="bearer"/> with 403, perhaps for the scope family: move to the next family once and
    /// forget the bearer. False when there is no other family to try (configured scopes, or already moved).
    /// </summary>
    public bool TryNextFamily(string bearer)
    {
        var current = Volatile.Read(ref _family);
        if (current + 1 >= _families.Count || _cached is not { } cached || !string.Equals(cached.Token, bearer, StringComparison.Ordinal))
        {
            return false;
        }

        if (Interlocked.CompareExchange(ref _family, current + 1, current) != current)
        {
            return true; // another caller moved it meanwhile
        }

        Invalidate(bearer);
        DynatraceLog.ScopeFamilySwitched(logger, account.Name, _families[current].Name, _families[current + 1].Name, "the API answered 403");
        return true;
    }

    public async Task<BearerResult> GetAsync(long deadline, CancellationToken cancellationToken)
    {
        var time = sso.Time;
        if (Fresh(time) is { } hit)
        {
            return BearerResult.Ok(hit);
        }

        var wait = time.GetElapsedTime(time.GetTimestamp(), deadline);
        if (wait <= TimeSpan.Zero || !await _gate.WaitAsync(wait, cancellationToken).ConfigureAwait(false))
        {
            return BearerResult.Fail(DynatraceStatus.Transient, new DynatraceError(0, "No OAuth bearer within the request deadline."));
        }

        try
        {
            if (Fresh(time) is { } fetchedMeanwhile)
            {
                return BearerResult.Ok(fetchedMeanwhile);
            }

            var rejected = new List<string>();
            while (true)
            {
                var result = await FetchAsync(account.ClientId, account.ClientSecret, deadline, cancellationToken).ConfigureAwait(false);
                if (result.Status is DynatraceStatus.Unauthorized or DynatraceStatus.Forbidden && account.SecondaryClientId is { } secondaryId && account.SecondaryClientSecret is { } secondarySecret)
                {
                    result = await FetchAsync(secondaryId, secondarySecret, deadline, cancellationToken).ConfigureAwait(false);
                }

                var current = Volatile.Read(ref _family);
                if (result.Error?.RejectedScopes is not { } refused || current + 1 >= _families.Count)
                {
                    if (result.Error?.RejectedScopes is { } last)
                    {
                        DynatraceLog.ScopeRejected(logger, account.Name, string.Join(' ', rejected.Concat(last)), account.ClientId);
                    }

                    return rejected.Count == 0 || result.IsOk ? result : ScopesExhausted(result, rejected);
                }

                // The SSO refuses a family the client was not granted: the other family is what some sources name.
                rejected.AddRange(refused);
                Volatile.Write(ref _family, current + 1);
                DynatraceLog.ScopeFamilySwitched(logger, account.Name, _families[current].Name, _families[current + 1].Name, "the SSO answered invalid_scope");
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The API refused this bearer (401): forget it so the next call fetches a new one.</summary>
    public void Invalidate(string bearer)
    {
        var cached = _cached;
        if (cached is not null && string.Equals(cached.Token, bearer, StringComparison.Ordinal))
        {
            Interlocked.CompareExchange(ref _cached, null, cached);
        }
    }

    private string? Fresh(TimeProvider time) => _cached is { } c && time.GetUtcNow() < c.RefreshAt ? c.Token : null;

    private async Task<BearerResult> FetchAsync(string clientId, CredentialReference secretReference, long deadline, CancellationToken cancellationToken)
    {
        string secret;
        try
        {
            secret = await credentials.GetAsync(secretReference, cancellationToken).ConfigureAwait(false);
            KnownSecrets.Register(secret);
        }
        catch (ManagementCredentialUnavailableException e)
        {
            return BearerResult.Fail(e.IsTransient ? DynatraceStatus.Transient : DynatraceStatus.Unauthorized, new DynatraceError(0, e.Message));
        }

        var response = await sso.SendAsync(Form(clientId, secret), deadline, idempotent: true, cancellationToken).ConfigureAwait(false);
        if (response.Status == 400 && ErrorEnvelopeParser.OAuthErrorCode(response.Body) == "invalid_scope")
        {
            return ScopeRejected(clientId, response);
        }

        if (response.Status is 400 or 401 && credentials is IRefreshableCredentialProvider refreshable && secretReference.KeyVaultSecretName is not null)
        {
            // The secret may have been rotated in Key Vault since we cached it.
            refreshable.Invalidate(secretReference);
            var fresh = await TryGetAsync(secretReference, cancellationToken).ConfigureAwait(false);
            if (fresh is not null && !string.Equals(fresh, secret, StringComparison.Ordinal))
            {
                DynatraceLog.CredentialRefused(logger, account.Name, secretReference.ToString());
                response = await sso.SendAsync(Form(clientId, fresh), deadline, idempotent: true, cancellationToken).ConfigureAwait(false);
            }
        }

        if (!response.IsSuccess)
        {
            var failure = response.Fail<string>();
            return response.Status is 400 or 401
                ? BearerResult.Fail(DynatraceStatus.Unauthorized, failure.Error! with { Message = $"The SSO refused OAuth client {clientId} for account {account.Name}: {failure.Error!.Message}" })
                : BearerResult.Fail(failure.Status, failure.Error!);
        }

        var dto = DynatraceJson.TryDeserialize(response.Body, DynatraceJsonContext.Default.OAuthTokenDto);
        if (dto?.AccessToken is not { Length: > 0 } token
            || (dto.TokenType is { } type && !string.Equals(type, "Bearer", StringComparison.OrdinalIgnoreCase)))
        {
            return BearerResult.Fail(DynatraceStatus.Transient, new DynatraceError(response.Status, "The SSO answered without a usable bearer token."));
        }

        var lifetime = dto.ExpiresIn is { } seconds && seconds > 0 ? TimeSpan.FromSeconds(seconds) : DocumentedLifetime;

        // Refresh a margin before expiry; for short lifetimes at half-life so the cache still helps.
        var reuseFor = lifetime - options.BearerRefreshMargin;
        if (reuseFor < lifetime / 2)
        {
            reuseFor = lifetime / 2;
        }

        KnownSecrets.Register(token);
        _cached = new Cached(token, sso.Time.GetUtcNow() + reuseFor, Family);
        DynatraceLog.BearerFetched(logger, account.Name, clientId, lifetime);
        return BearerResult.Ok(token);
    }

    /// <summary>The credential is right and the request is not: no Key Vault re-read, no retry, an error that says what to change.</summary>
    private BearerResult ScopeRejected(string clientId, DynatraceResponse response)
    {
        var said = response.Fail<string>().Error!;
        var requested = Family.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var named = requested.Where(s => said.Message.Contains(s, StringComparison.Ordinal)).ToList();
        var rejected = named.Count > 0 ? named : [.. requested];
        var scopes = string.Join(' ', rejected);
        return BearerResult.Fail(DynatraceStatus.Forbidden, said with
        {
            Message = $"The SSO refused scope(s) '{scopes}' for OAuth client {clientId} of account {account.Name} (invalid_scope; the SSO said: {said.Message}). "
                + $"Grant the client these scopes in Account Management, or set Dynatrace:Accounts:N:Scopes (now {Describe(account.Scopes)}) to scopes it has.",
            RejectedScopes = rejected,
        });
    }

    /// <summary>Every family was refused: say so, naming all of them.</summary>
    private BearerResult ScopesExhausted(BearerResult last, List<string> earlier)
    {
        var all = earlier.Concat(last.Error!.RejectedScopes ?? []).Distinct(StringComparer.Ordinal).ToList();
        return BearerResult.Fail(DynatraceStatus.Forbidden, last.Error with
        {
            Message = $"The SSO refused both scope families for account {account.Name}: '{string.Join(' ', all)}' (invalid_scope). "
                + $"Grant the OAuth client either '{PlatformScopeFamily.AccountIdm.Scopes}' (the docs) or '{PlatformScopeFamily.PlatformToken.Scopes}' "
                + "(the published OpenAPI) in Account Management, or set Dynatrace:Accounts:N:Scopes to scopes it has.",
            RejectedScopes = all,
        });
    }

    private static string Describe(string? configured) =>
        string.IsNullOrWhiteSpace(configured) ? "unset: automatic, account-idm then platform-token" : $"'{configured}'";

    private async Task<string?> TryGetAsync(CredentialReference reference, CancellationToken cancellationToken)
    {
        try
        {
            return await credentials.GetAsync(reference, cancellationToken).ConfigureAwait(false);
        }
        catch (ManagementCredentialUnavailableException)
        {
            return null;
        }
    }

    private HttpRequestMessage Form(string clientId, string secret) => new(HttpMethod.Post, account.SsoTokenEndpoint)
    {
        Content = new FormUrlEncodedContent(
        [
            new("grant_type", "client_credentials"),
            new("client_id", clientId),
            new("client_secret", secret),
            new("scope", Family.Scopes),
            new("resource", $"urn:dtaccount:{account.AccountUuid}"),
        ]),
    };

    private sealed record Cached(string Token, DateTimeOffset RefreshAt, PlatformScopeFamily Family)
    {
        public override string ToString() => $"bearer (refresh at {RefreshAt:O})";
    }
}

/// <summary>A bearer or why there is none. <see cref="Token"/> is a credential: never log it.</summary>
internal readonly record struct BearerResult(string? Token, DynatraceStatus Status, DynatraceError? Error)
{
    public bool IsOk => Status == DynatraceStatus.Ok;

    public static BearerResult Ok(string token) => new(token, DynatraceStatus.Ok, null);

    public static BearerResult Fail(DynatraceStatus status, DynatraceError error) => new(null, status, error);

    public override string ToString() => IsOk ? "bearer ***" : $"{Status}: {Error}";
}
