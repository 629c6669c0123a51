using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Dynatrace;

/// <summary>Classic API tokens of one environment (Environment API v2, v1 for disable where configured).</summary>
public interface IEnvironmentTokenClient
{
    DynatraceEnvironment Environment { get; }

    /// <summary><c>POST /api/v2/apiTokens/lookup</c>: 404 means the token does not live in this environment.</summary>
    Task<DynatraceResult<ApiTokenInfo>> LookupAsync(TokenSecret token, CancellationToken cancellationToken);

    Task<DynatraceResult<ApiTokenInfo>> GetAsync(TokenId id, CancellationToken cancellationToken);

    Task<DynatraceResult<ApiTokenPage>> ListAsync(ApiTokenQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// v2 <c>PUT {"enabled":…}</c> or v1 <c>PUT {"revoked":…}</c> per <see cref="DynatraceEnvironment.DisableApi"/>. On a 400
    /// "own token" answer it retries once with the secondary credential; without one it returns <see cref="DynatraceStatus.OwnCredential"/>.
    /// </summary>
    Task<DynatraceResult<Done>> SetEnabledAsync(TokenId id, bool enabled, CancellationToken cancellationToken);

    Task<DynatraceResult<CreatedToken>> CreateAsync(ApiTokenCreateRequest request, CancellationToken cancellationToken);

    Task<DynatraceResult<Done>> DeleteAsync(TokenId id, CancellationToken cancellationToken);

    /// <summary>Lookup authenticated with the token itself: proves a freshly created token works.</summary>
    Task<DynatraceResult<ApiTokenInfo>> VerifyWorksAsync(TokenSecret token, CancellationToken cancellationToken);
}
