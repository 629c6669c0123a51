using System.Globalization;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.UnitTests.Fakes;

/// <summary>
/// The simulated mode of <see cref="FakeEnvironmentClient"/>: every call goes to a shared <see cref="FakeDynatrace"/>,
/// acting as the environment's credential (its secondary one after an own-token refusal, as the real client does), and
/// create, delete and verify work. The scripted members (token list, failure switches, counters, <see cref="Calls"/>)
/// are not used in this mode: the <see cref="FakeDynatrace"/> records calls and injects faults.
/// </summary>
public sealed partial class FakeEnvironmentClient
{
    private readonly FakeDynatrace? _dynatrace;

    /// <summary>A client of <paramref name="environment"/> over <paramref name="dynatrace"/>'s tokens (<see cref="FakeDynatrace.EnvironmentClient"/>).</summary>
    public FakeEnvironmentClient(FakeDynatrace dynatrace, DynatraceEnvironment environment)
    {
        _dynatrace = dynatrace;
        _name = environment.Name;
        Environment = environment;
    }

    private FakeDynatrace Simulation => _dynatrace ?? throw new InvalidOperationException("this fake is scripted, not over a FakeDynatrace");

    private Task<DynatraceResult<ApiTokenInfo>> SimulatedLookupAsync(TokenSecret token) =>
        Act("lookup", token.Id, acting => Simulation.BySecret(token.Reveal()) is { } t && t.Target == _name
            ? DynatraceResult<ApiTokenInfo>.Ok(t.ToClassic())
            : NotFound<ApiTokenInfo>());

    private Task<DynatraceResult<ApiTokenInfo>> SimulatedGetAsync(TokenId id) =>
        Act("get", id, acting => Simulation.Get(id, _name) is { } t ? DynatraceResult<ApiTokenInfo>.Ok(t.ToClassic()) : NotFound<ApiTokenInfo>());

    private Task<DynatraceResult<ApiTokenPage>> SimulatedListAsync(ApiTokenQuery query) =>
        Act("list", null, acting =>
        {
            var all = Simulation.InTarget(_name);
            var offset = query.NextPageKey is { } key ? int.Parse(key, CultureInfo.InvariantCulture) : 0;
            var size = query.PageSize ?? 200;
            var page = all.Skip(offset).Take(size).Select(t => t.ToClassic()).ToList();
            var next = offset + size < all.Count ? (offset + size).ToString(CultureInfo.InvariantCulture) : null;
            return DynatraceResult<ApiTokenPage>.Ok(new ApiTokenPage(page, next, all.Count));
        });

    private async Task<DynatraceResult<Done>> SimulatedSetEnabledAsync(TokenId id, bool enabled)
    {
        var result = await Act("disable", id, acting => SimulatedSetEnabled(acting, id, enabled), Environment.Credential).ConfigureAwait(false);
        if (result.Status == DynatraceStatus.OwnCredential && Environment.SecondaryCredential is { } secondary)
        {
            result = await Act("disable", id, acting => SimulatedSetEnabled(acting, id, enabled), secondary).ConfigureAwait(false);
        }

        return result;
    }

    private Task<DynatraceResult<CreatedToken>> SimulatedCreateAsync(ApiTokenCreateRequest request) =>
        Act("create", null, acting =>
        {
            if (request.Scopes.Count == 0 || (request.ExpirationDate is { } e && e <= Simulation.TimeProvider.GetUtcNow()))
            {
                return DynatraceResult<CreatedToken>.Fail(DynatraceStatus.BadRequest, new DynatraceError(400, "invalid create request"));
            }

            var token = Simulation.Create(_name, TokenKind.ClassicApiToken, request.Name, request.Scopes, acting.Owner, request.ExpirationDate);
            return DynatraceResult<CreatedToken>.Ok(new CreatedToken(token.Id, token.SecretValue, token.Expiration));
        });

    private async Task<DynatraceResult<Done>> SimulatedDeleteAsync(TokenId id)
    {
        var result = await Act("delete", id, acting => SimulatedDelete(acting, id), Environment.Credential).ConfigureAwait(false);
        if (result.Status == DynatraceStatus.OwnCredential && Environment.SecondaryCredential is { } secondary)
        {
            result = await Act("delete", id, acting => SimulatedDelete(acting, id), secondary).ConfigureAwait(false);
        }

        return result;
    }

    private Task<DynatraceResult<ApiTokenInfo>> SimulatedVerifyWorksAsync(TokenSecret token) =>
        Simulation.RunAsync("verify", token.Id, _name, () =>
            (Simulation.BySecret(token.Reveal()) is { } t && t.Target == _name && Simulation.IsUsable(t)
                ? DynatraceResult<ApiTokenInfo>.Ok(t.ToClassic())
                : DynatraceResult<ApiTokenInfo>.Fail(DynatraceStatus.Unauthorized, new DynatraceError(401, "token authentication failed")), token.Id.Value));

    private DynatraceResult<Done> SimulatedSetEnabled(FakeToken acting, TokenId id, bool enabled)
    {
        if (Simulation.Get(id, _name) is not { } token)
        {
            return NotFound<Done>();
        }

        if (token.Id == acting.Id)
        {
            return DynatraceResult<Done>.Fail(DynatraceStatus.OwnCredential, new DynatraceError(400, "You can't disable the token you're using for authentication of the request."));
        }

        token.Enabled = enabled;
        return DynatraceResult<Done>.Ok(Done.Value);
    }

    private DynatraceResult<Done> SimulatedDelete(FakeToken acting, TokenId id)
    {
        if (Simulation.Get(id, _name) is not { } token)
        {
            return NotFound<Done>();
        }

        if (token.Id == acting.Id)
        {
            return DynatraceResult<Done>.Fail(DynatraceStatus.OwnCredential, new DynatraceError(400, "You can't delete the token you're using for authentication of the request."));
        }

        token.Deleted = true;
        return DynatraceResult<Done>.Ok(Done.Value);
    }

    /// <summary>Runs <paramref name="action"/> in the simulation as the token <paramref name="credential"/> (default: the environment's) holds, or answers 401.</summary>
    private Task<DynatraceResult<T>> Act<T>(string op, TokenId? id, Func<FakeToken, DynatraceResult<T>> action, CredentialReference? credential = null)
    {
        credential ??= Environment.Credential;
        return Simulation.RunAsync(op, id, _name, () =>
        {
            var (acting, failure) = Simulation.Acting(credential);
            return acting is null
                ? (DynatraceResult<T>.Fail(failure!.Value, new DynatraceError(401, "token authentication failed")), null)
                : (action(acting), acting.Id.Value);
        });
    }

    private static DynatraceResult<T> NotFound<T>() => DynatraceResult<T>.Fail(DynatraceStatus.NotFound, new DynatraceError(404, "not found"));
}
