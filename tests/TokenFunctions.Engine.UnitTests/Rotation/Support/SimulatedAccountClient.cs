using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.UnitTests.Rotation.Support;

/// <summary><see cref="IAccountTokenClient"/> over <see cref="FakeDynatrace"/> (OAuth client: no token acts, so no own-token rule).</summary>
public sealed class SimulatedAccountClient : IAccountTokenClient
{
    private readonly FakeDynatrace _dynatrace;

    public SimulatedAccountClient(FakeDynatrace dynatrace, DynatraceAccount account)
    {
        _dynatrace = dynatrace;
        Account = account;
    }

    public DynatraceAccount Account { get; }

    private string Name => Account.Name;

    public Task<DynatraceResult<PlatformTokenPage>> ListAsync(PlatformTokenQuery query, CancellationToken cancellationToken) =>
        Run("list", null, () =>
        {
            var all = _dynatrace.InTarget(Name)
                .Where(t => query.SearchTerm is not { } term || t.Name.Contains(term, StringComparison.OrdinalIgnoreCase) || t.Id.Value.Contains(term, StringComparison.OrdinalIgnoreCase))
                .ToList();
            var number = query.Page ?? 0;
            var page = all.Skip(number * query.Size).Take(query.Size).Select(t => t.ToPlatform()).ToList();
            return DynatraceResult<PlatformTokenPage>.Ok(new PlatformTokenPage(page, number, query.Size, all.Count));
        });

    public Task<DynatraceResult<PlatformTokenInfo>> FindAsync(TokenId id, CancellationToken cancellationToken) =>
        Run("find", id, () => _dynatrace.Get(id, Name) is { } t ? DynatraceResult<PlatformTokenInfo>.Ok(t.ToPlatform()) : NotFound<PlatformTokenInfo>());

    public Task<DynatraceResult<Done>> SetActiveAsync(TokenId id, bool active, CancellationToken cancellationToken) =>
        Run(active ? "enable" : "disable", id, () =>
        {
            if (_dynatrace.Get(id, Name) is not { } t)
            {
                return NotFound<Done>();
            }

            t.Enabled = active;
            return DynatraceResult<Done>.Ok(Done.Value);
        });

    public Task<DynatraceResult<CreatedToken>> CreateAsync(PlatformTokenCreateRequest request, CancellationToken cancellationToken) =>
        Run("create", null, () =>
        {
            var token = _dynatrace.Create(Name, TokenKind.PlatformToken, request.Name, request.Scopes, request.UserUuid ?? "oauth-client", request.ExpirationDate, request.Resources, request.Tags, request.UserUuid);
            return DynatraceResult<CreatedToken>.Ok(new CreatedToken(token.Id, token.SecretValue, token.Expiration));
        });

    public Task<DynatraceResult<Done>> DeleteAsync(TokenId id, CancellationToken cancellationToken) =>
        Run("delete", id, () =>
        {
            if (_dynatrace.Get(id, Name) is not { } t)
            {
                return NotFound<Done>();
            }

            t.Deleted = true;
            return DynatraceResult<Done>.Ok(Done.Value);
        });

    private Task<DynatraceResult<T>> Run<T>(string op, TokenId? id, Func<DynatraceResult<T>> action) =>
        _dynatrace.RunAsync(op, id, Name, () => (action(), "oauth:" + Account.ClientId));

    private static DynatraceResult<T> NotFound<T>() => DynatraceResult<T>.Fail(DynatraceStatus.NotFound, new DynatraceError(404, "not found"));
}
