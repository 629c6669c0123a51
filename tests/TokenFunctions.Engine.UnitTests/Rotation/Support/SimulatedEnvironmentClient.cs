using System.Globalization;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.UnitTests.Rotation.Support;

/// <summary><see cref="IEnvironmentTokenClient"/> over <see cref="FakeDynatrace"/>, acting as the environment's credential.</summary>
public sealed class SimulatedEnvironmentClient : IEnvironmentTokenClient
{
    private readonly FakeDynatrace _dynatrace;

    public SimulatedEnvironmentClient(FakeDynatrace dynatrace, DynatraceEnvironment environment)
    {
        _dynatrace = dynatrace;
        Environment = environment;
    }

    public DynatraceEnvironment Environment { get; }

    private string Name => Environment.Name;

    public Task<DynatraceResult<ApiTokenInfo>> LookupAsync(TokenSecret token, CancellationToken cancellationToken) =>
        Act("lookup", token.Id, acting => _dynatrace.BySecret(token.Reveal()) is { } t && t.Target == Name
            ? DynatraceResult<ApiTokenInfo>.Ok(t.ToClassic())
            : NotFound<ApiTokenInfo>());

    public Task<DynatraceResult<ApiTokenInfo>> GetAsync(TokenId id, CancellationToken cancellationToken) =>
        Act("get", id, acting => _dynatrace.Get(id, Name) is { } t ? DynatraceResult<ApiTokenInfo>.Ok(t.ToClassic()) : NotFound<ApiTokenInfo>());

    public Task<DynatraceResult<ApiTokenPage>> ListAsync(ApiTokenQuery query, CancellationToken cancellationToken) =>
        Act("list", null, acting =>
        {
            var all = _dynatrace.InTarget(Name);
            var offset = query.NextPageKey is { } key ? int.Parse(key, CultureInfo.InvariantCulture) : 0;
            var size = query.PageSize ?? 200;
            var page = all.Skip(offset).Take(size).Select(t => t.ToClassic()).ToList();
            var next = offset + size < all.Count ? (offset + size).ToString(CultureInfo.InvariantCulture) : null;
            return DynatraceResult<ApiTokenPage>.Ok(new ApiTokenPage(page, next, all.Count));
        });

    public async Task<DynatraceResult<Done>> SetEnabledAsync(TokenId id, bool enabled, CancellationToken cancellationToken)
    {
        var result = await Act("disable", id, acting => SetEnabled(acting, id, enabled), Environment.Credential).ConfigureAwait(false);
        if (result.Status == DynatraceStatus.OwnCredential && Environment.SecondaryCredential is { } secondary)
        {
            result = await Act("disable", id, acting => SetEnabled(acting, id, enabled), secondary).ConfigureAwait(false);
        }

        return result;
    }

    public Task<DynatraceResult<CreatedToken>> CreateAsync(ApiTokenCreateRequest request, CancellationToken cancellationToken) =>
        Act("create", null, acting =>
        {
            if (request.Scopes.Count == 0 || (request.ExpirationDate is { } e && e <= _dynatrace.TimeProvider.GetUtcNow()))
            {
                return DynatraceResult<CreatedToken>.Fail(DynatraceStatus.BadRequest, new DynatraceError(400, "invalid create request"));
            }

            var token = _dynatrace.Create(Name, TokenKind.ClassicApiToken, request.Name, request.Scopes, acting.Owner, request.ExpirationDate);
            return DynatraceResult<CreatedToken>.Ok(new CreatedToken(token.Id, token.SecretValue, token.Expiration));
        });

    public async Task<DynatraceResult<Done>> DeleteAsync(TokenId id, CancellationToken cancellationToken)
    {
        var result = await Act("delete", id, acting => Delete(acting, id), Environment.Credential).ConfigureAwait(false);
        if (result.Status == DynatraceStatus.OwnCredential && Environment.SecondaryCredential is { } secondary)
        {
            result = await Act("delete", id, acting => Delete(acting, id), secondary).ConfigureAwait(false);
        }

        return result;
    }

    public Task<DynatraceResult<ApiTokenInfo>> VerifyWorksAsync(TokenSecret token, CancellationToken cancellationToken) =>
        _dynatrace.RunAsync("verify", token.Id, Name, () =>
            (_dynatrace.BySecret(token.Reveal()) is { } t && t.Target == Name && _dynatrace.IsUsable(t)
                ? DynatraceResult<ApiTokenInfo>.Ok(t.ToClassic())
                : DynatraceResult<ApiTokenInfo>.Fail(DynatraceStatus.Unauthorized, new DynatraceError(401, "token authentication failed")), token.Id.Value));

    private DynatraceResult<Done> SetEnabled(FakeToken acting, TokenId id, bool enabled)
    {
        if (_dynatrace.Get(id, Name) is not { } token)
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

    private DynatraceResult<Done> Delete(FakeToken acting, TokenId id)
    {
        if (_dynatrace.Get(id, Name) is not { } token)
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

    private Task<DynatraceResult<T>> Act<T>(string op, TokenId? id, Func<FakeToken, DynatraceResult<T>> action, CredentialReference? credential = null)
    {
        credential ??= Environment.Credential;
        return _dynatrace.RunAsync(op, id, Name, () =>
        {
            var (acting, failure) = _dynatrace.Acting(credential);
            return acting is null
                ? (DynatraceResult<T>.Fail(failure!.Value, new DynatraceError(401, "token authentication failed")), null)
                : (action(acting), acting.Id.Value);
        });
    }

    private static DynatraceResult<T> NotFound<T>() => DynatraceResult<T>.Fail(DynatraceStatus.NotFound, new DynatraceError(404, "not found"));
}
