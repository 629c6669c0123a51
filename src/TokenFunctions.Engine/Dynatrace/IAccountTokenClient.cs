using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Dynatrace;

/// <summary>Platform tokens of one account (Account Management API, OAuth bearer).</summary>
public interface IAccountTokenClient
{
    DynatraceAccount Account { get; }

    /// <summary>Which readings of the docs this account's API has shown so far (scope family, id form, paging).</summary>
    PlatformReadings Readings => PlatformReadings.None;

    Task<DynatraceResult<PlatformTokenPage>> ListAsync(PlatformTokenQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Finds one token through the list's <c>searchTerm</c>. NotFound only when the account's answers prove it absent;
    /// <see cref="DynatraceStatus.Unaddressable"/> when the server names tokens with ids of its own and no search singled
    /// this one out. A token found is addressed by its server id from then on.
    /// </summary>
    Task<DynatraceResult<PlatformTokenInfo>> FindAsync(TokenId id, CancellationToken cancellationToken);

    /// <summary>
    /// <c>PUT …/status</c> ACTIVE or INACTIVE, at the server id learned for <paramref name="id"/> or at the id itself; any
    /// 2xx is success (the docs show both 204 and 200). A 404 is NotFound only where it proves absence, otherwise
    /// <see cref="DynatraceStatus.Unaddressable"/>: call <see cref="FindAsync"/> and try again.
    /// </summary>
    Task<DynatraceResult<Done>> SetActiveAsync(TokenId id, bool active, CancellationToken cancellationToken);

    Task<DynatraceResult<CreatedToken>> CreateAsync(PlatformTokenCreateRequest request, CancellationToken cancellationToken);

    /// <summary>As <see cref="SetActiveAsync"/> for <c>DELETE</c>.</summary>
    Task<DynatraceResult<Done>> DeleteAsync(TokenId id, CancellationToken cancellationToken);

    /// <summary>Account audit log entries since <paramref name="since"/> (<c>GET /audit/v1/accounts/{uuid}</c>), newest first.</summary>
    Task<DynatraceResult<IReadOnlyList<AccountAuditEntry>>> ReadAuditLogAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        Task.FromResult(DynatraceResult<IReadOnlyList<AccountAuditEntry>>.Fail(DynatraceStatus.BadRequest, new DynatraceError(0, "This client cannot read the account audit log.")));
}
