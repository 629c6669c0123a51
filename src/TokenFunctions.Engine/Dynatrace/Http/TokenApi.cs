using System.Net.Http.Headers;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using TokenFunctions.Engine.Dynatrace.Wire;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Dynatrace.Http;

/// <summary>
/// The request plumbing both token clients share, for one target (an environment or an account): the operation deadline,
/// JSON request bodies, reading an answer's body, the list-skip log, the outcome log, and the two ways a create can end
/// badly (an answer that leaves open whether the token was made; a token made whose secret cannot be read). What differs
/// between the clients is protocol, and stays in them: how a request is authenticated (Api-Token with a secondary
/// credential, or an OAuth bearer with its scope family) and how tokens are addressed and paged.
/// </summary>
/// <param name="sender">The named, resilient HTTP client of the target's API.</param>
/// <param name="target">The environment's or account's configured name, as logs and messages show it.</param>
/// <param name="tokenNoun">What the target's tokens are called in messages: <c>token</c> or <c>platform token</c>.</param>
/// <param name="findByName">How to find a token by name on this API, for a create that may have happened: <c>list</c> or <c>search</c>.</param>
internal sealed class TokenApi(DynatraceSender sender, string target, string tokenNoun, string findByName, DynatraceOptions options, ILogger logger)
{
    public string Target => target;

    public ILogger Logger => logger;

    /// <summary>The deadline of one client operation, started now (see <see cref="DynatraceDeadline"/>).</summary>
    public long StartDeadline() => DynatraceDeadline.Start(sender.Time, options.RequestDeadline);

    public Task<DynatraceResponse> SendAsync(HttpRequestMessage request, long deadline, bool idempotent, CancellationToken cancellationToken) =>
        sender.SendAsync(request, deadline, idempotent, cancellationToken);

    public static HttpRequestMessage Json(HttpMethod method, Uri url, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return new HttpRequestMessage(method, url) { Content = content };
    }

    /// <summary>
    /// The body of a successful answer, or why there is none: the answer's own failure, or a body that is not the documented
    /// JSON (Transient: a proxy or an outage page, most likely). <paramref name="speaker"/> names who answered in that message.
    /// </summary>
    public static DynatraceResult<TDto> ReadBody<TDto>(DynatraceResponse response, JsonTypeInfo<TDto> type, string speaker = "Dynatrace")
        where TDto : class
    {
        if (!response.IsSuccess)
        {
            return response.Fail<TDto>();
        }

        return DynatraceJson.TryDeserialize(response.Body, type) is { } dto
            ? DynatraceResult<TDto>.Ok(dto)
            : DynatraceResult<TDto>.Fail(DynatraceStatus.Transient, new DynatraceError(response.Status, $"{speaker} answered with a body that is not the documented JSON."));
    }

    /// <summary>A listed page's tokens; the items whose id cannot be read are left out, and counted in the log.</summary>
    public List<TInfo> ReadItems<TDto, TInfo>(IReadOnlyList<TDto>? items, Func<TDto, TInfo?> read)
        where TInfo : class
    {
        var tokens = new List<TInfo>(items?.Count ?? 0);
        foreach (var item in items ?? [])
        {
            if (read(item) is { } info)
            {
                tokens.Add(info);
            }
        }

        var skipped = (items?.Count ?? 0) - tokens.Count;
        if (skipped > 0)
        {
            DynatraceLog.SkippedUnparseable(logger, target, skipped);
        }

        return tokens;
    }

    /// <summary>
    /// A create that failed. A create is not idempotent, so the pipeline retries only a 429; after any other transient
    /// answer (a timeout, a 5xx) the token may exist already, and the message says how to look for it before trying again.
    /// </summary>
    public DynatraceResult<CreatedToken> CreateFailure(DynatraceResponse response, string name)
    {
        var failure = response.Fail<CreatedToken>();
        return failure.Status == DynatraceStatus.Transient && response.Status != 429
            ? DynatraceResult<CreatedToken>.Fail(failure.Status, failure.Error! with
            {
                Message = failure.Error.Message + $" The {tokenNoun} '{ErrorEnvelopeParser.Clean(name)}' may have been created: {findByName} by name before creating it again.",
            })
            : failure;
    }

    /// <summary>A create that succeeded without a readable dt0 secret: the token exists, but nothing can use it.</summary>
    public DynatraceResult<CreatedToken> CreatedSecretUnreadable(DynatraceResponse response, string? id) =>
        DynatraceResult<CreatedToken>.Fail(
            DynatraceStatus.BadRequest,
            new DynatraceError(response.Status, $"Dynatrace created {tokenNoun} {id ?? "(unknown id)"} but its secret is not in the dt0 format; disable it and investigate."));

    /// <summary>Logs how an operation ended (NotFound is an answer, not a failure) and returns its result.</summary>
    public DynatraceResult<T> Report<T>(string operation, TokenId id, DynatraceResult<T> result)
    {
        var tokenId = id.Value ?? "-";
        if (result.IsOk || result.Status == DynatraceStatus.NotFound)
        {
            DynatraceLog.Completed(logger, target, operation, tokenId, result.Status);
        }
        else
        {
            DynatraceLog.Failed(logger, target, operation, tokenId, result.Status, result.Error?.ToString() ?? "");
        }

        return result;
    }
}
