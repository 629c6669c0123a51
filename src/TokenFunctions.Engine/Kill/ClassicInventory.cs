using Microsoft.Extensions.Logging;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Kill;

/// <summary>
/// Every classic token of every environment, read with a few paged list calls (10,000 per page) for a large batch.
/// A token found here needs only its write call; one that is missing is resolved one by one as usual, so an
/// incomplete listing never turns into a wrong outcome.
/// </summary>
internal sealed class ClassicInventory
{
    private const int PageSize = 10_000;
    private const int MaxPages = 1_000;

    private readonly Dictionary<string, (IEnvironmentTokenClient Environment, ApiTokenInfo Info)> _byId;

    private ClassicInventory(Dictionary<string, (IEnvironmentTokenClient, ApiTokenInfo)> byId) => _byId = byId;

    public static ClassicInventory Empty { get; } = new([]);

    public int Count => _byId.Count;

    public bool TryGet(TokenId id, out IEnvironmentTokenClient environment, out ApiTokenInfo info)
    {
        if (_byId.TryGetValue(id.Value, out var entry))
        {
            (environment, info) = entry;
            return true;
        }

        environment = null!;
        info = null!;
        return false;
    }

    public static async Task<ClassicInventory> LoadAsync(
        IReadOnlyList<IEnvironmentTokenClient> environments,
        TargetSearch search,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var lists = await Task.WhenAll(environments.Select(e => ListAsync(e, search, logger, cancellationToken))).ConfigureAwait(false);
        var byId = new Dictionary<string, (IEnvironmentTokenClient, ApiTokenInfo)>(StringComparer.Ordinal);
        for (var i = 0; i < environments.Count; i++)
        {
            foreach (var token in lists[i])
            {
                byId.TryAdd(token.Id.Value, (environments[i], token));
            }
        }

        return new ClassicInventory(byId);
    }

    private static async Task<List<ApiTokenInfo>> ListAsync(IEnvironmentTokenClient environment, TargetSearch search, ILogger logger, CancellationToken cancellationToken)
    {
        var tokens = new List<ApiTokenInfo>();
        var query = new ApiTokenQuery { PageSize = PageSize };
        var seenKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var page = 0; page < MaxPages; page++)
        {
            var current = query;
            var result = await search.AskAsync(
                new TargetQuery<IEnvironmentTokenClient, ApiTokenPage>("environment", e => e.Environment.Name, e => ConcurrencyGates.ForEnvironment(e.Environment.Name), (e, ct) => e.ListAsync(current, ct)),
                environment,
                cancellationToken).ConfigureAwait(false);
            if (!result.IsOk)
            {
                KillLog.InventoryIncomplete(logger, environment.Environment.Name, tokens.Count, result.Error?.ToString() ?? result.Status.ToString());
                return tokens;
            }

            tokens.AddRange(result.Value!.Tokens);
            if (string.IsNullOrEmpty(result.Value.NextPageKey) || !seenKeys.Add(result.Value.NextPageKey))
            {
                break;
            }

            // Dynatrace requires every other parameter to be omitted alongside nextPageKey.
            query = new ApiTokenQuery { NextPageKey = result.Value.NextPageKey, Fields = null };
        }

        KillLog.InventoryLoaded(logger, environment.Environment.Name, tokens.Count);
        return tokens;
    }
}
