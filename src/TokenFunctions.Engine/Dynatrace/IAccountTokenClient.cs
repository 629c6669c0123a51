using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Dynatrace;

/// <summary>Platform tokens of one account (Account Management API, OAuth bearer).</summary>
public interface IAccountTokenClient
{
    DynatraceAccount Account { get; }

    Task<DynatraceResult<PlatformTokenPage>> ListAsync(PlatformTokenQuery query, CancellationToken cancellationToken);

    /// <summary>Finds one token by id through the list's <c>searchTerm</c>; NotFound when no exact id match.</summary>
    Task<DynatraceResult<PlatformTokenInfo>> FindAsync(TokenId id, CancellationToken cancellationToken);

    /// <summary><c>PUT …/status</c> ACTIVE or INACTIVE; any 2xx is success (the docs show both 204 and 200).</summary>
    Task<DynatraceResult<Done>> SetActiveAsync(TokenId id, bool active, CancellationToken cancellationToken);

    Task<DynatraceResult<CreatedToken>> CreateAsync(PlatformTokenCreateRequest request, CancellationToken cancellationToken);

    Task<DynatraceResult<Done>> DeleteAsync(TokenId id, CancellationToken cancellationToken);

    Task<DynatraceResult<Done>> SetExpirationAsync(TokenId id, DateTimeOffset expiration, CancellationToken cancellationToken);
}
