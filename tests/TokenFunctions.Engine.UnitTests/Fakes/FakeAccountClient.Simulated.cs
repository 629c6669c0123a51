using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.UnitTests.Fakes;

/// <summary>
/// The simulated mode of <see cref="FakeAccountClient"/>: every call goes to a shared <see cref="FakeDynatrace"/> (an
/// OAuth client: no token acts, so no own-token rule), and create and delete work. The scripted members (token list,
/// failure switches, counters, <see cref="Calls"/>) are not used in this mode: the <see cref="FakeDynatrace"/> records
/// calls and injects faults.
/// </summary>
public sealed partial class FakeAccountClient
{
    private readonly FakeDynatrace? _dynatrace;

    /// <summary>A client of <paramref name="account"/> over <paramref name="dynatrace"/>'s tokens (<see cref="FakeDynatrace.AccountClient"/>).</summary>
    public FakeAccountClient(FakeDynatrace dynatrace, DynatraceAccount account)
    {
        _dynatrace = dynatrace;
        _name = account.Name;
        Account = account;
    }

    private FakeDynatrace Simulation => _dynatrace ?? throw new InvalidOperationException("this fake is scripted, not over a FakeDynatrace");

    private Task<DynatraceResult<PlatformTokenPage>> SimulatedListAsync(PlatformTokenQuery query) =>
        Run("list", null, () =>
        {
            var all = Simulation.InTarget(_name)
                .Where(t => query.SearchTerm is not { } term || t.Name.Contains(term, StringComparison.OrdinalIgnoreCase) || t.Id.Value.Contains(term, StringComparison.OrdinalIgnoreCase))
                .ToList();
            var number = query.Page ?? 0;
            var page = all.Skip(number * query.Size).Take(query.Size).Select(t => t.ToPlatform()).ToList();
            return DynatraceResult<PlatformTokenPage>.Ok(new PlatformTokenPage(page, number, query.Size, all.Count));
        });

    private Task<DynatraceResult<PlatformTokenInfo>> SimulatedFindAsync(TokenId id) =>
        Run("find", id, () => Simulation.Get(id, _name) is { } t ? DynatraceResult<PlatformTokenInfo>.Ok(t.ToPlatform()) : NotFound<PlatformTokenInfo>());

    private Task<DynatraceResult<Done>> SimulatedSetActiveAsync(TokenId id, bool active) =>
        Run(active ? "enable" : "disable", id, () =>
        {
            if (Simulation.Get(id, _name) is not { } t)
            {
                return NotFound<Done>();
            }

            t.Enabled = active;
            return DynatraceResult<Done>.Ok(Done.Value);
        });

    private Task<DynatraceResult<CreatedToken>> SimulatedCreateAsync(PlatformTokenCreateRequest request) =>
        Run("create", null, () =>
        {
            var token = Simulation.Create(_name, TokenKind.PlatformToken, request.Name, request.Scopes, request.UserUuid ?? "oauth-client", request.ExpirationDate, request.Resources, request.Tags, request.UserUuid);
            return DynatraceResult<CreatedToken>.Ok(new CreatedToken(token.Id, token.SecretValue, token.Expiration));
        });

    private Task<DynatraceResult<Done>> SimulatedDeleteAsync(TokenId id) =>
        Run("delete", id, () =>
        {
            if (Simulation.Get(id, _name) is not { } t)
            {
                return NotFound<Done>();
            }

            t.Deleted = true;
            return DynatraceResult<Done>.Ok(Done.Value);
        });

    private Task<DynatraceResult<T>> Run<T>(string op, TokenId? id, Func<DynatraceResult<T>> action) =>
        Simulation.RunAsync(op, id, _name, () => (action(), "oauth:" + Account.ClientId));

    private static DynatraceResult<T> NotFound<T>() => DynatraceResult<T>.Fail(DynatraceStatus.NotFound, new DynatraceError(404, "not found"));
}
