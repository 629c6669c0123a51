using Microsoft.Extensions.Logging;
using TokenFunctions.Engine.Dynatrace.Targets;
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
    private static readonly TokenSelector Every = new();

    private readonly Dictionary<string, TargetMatch<TokenFacts>> _byId;

    private ClassicInventory(Dictionary<string, TargetMatch<TokenFacts>> byId) => _byId = byId;

    public static ClassicInventory Empty { get; } = new([]);

    public int Count => _byId.Count;

    public bool TryGet(TokenId id, out TargetMatch<TokenFacts> listed) => _byId.TryGetValue(id.Value, out listed!);

    public static async Task<ClassicInventory> LoadAsync(
        IReadOnlyList<ITokenTarget> environments,
        TargetSearch search,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var lists = await Task.WhenAll(environments.Select(e => ListAsync(e, search, logger, cancellationToken))).ConfigureAwait(false);
        var byId = new Dictionary<string, TargetMatch<TokenFacts>>(StringComparer.Ordinal);
        for (var i = 0; i < environments.Count; i++)
        {
            foreach (var token in lists[i])
            {
                byId.TryAdd(token.Id.Value, TargetMatch<TokenFacts>.Of(environments[i], token));
            }
        }

        return new ClassicInventory(byId);
    }

    private static async Task<List<TokenFacts>> ListAsync(ITokenTarget environment, TargetSearch search, ILogger logger, CancellationToken cancellationToken)
    {
        var tokens = new List<TokenFacts>();
        var cursor = new TokenPageCursor(null, null, 0);
        var seenKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var page = 0; page < MaxPages; page++)
        {
            var at = cursor;
            var result = await search.AskAsync(async (t, ct) => (await t.ListPageAsync(Every, at, PageSize, ct).ConfigureAwait(false)).AsResult(), environment, cancellationToken).ConfigureAwait(false);
            if (!result.IsOk)
            {
                KillLog.InventoryIncomplete(logger, environment.Name, tokens.Count, result.Error?.ToString() ?? result.Status.ToString());
                return tokens;
            }

            tokens.AddRange(result.Value!.Facts);
            if (string.IsNullOrEmpty(result.Value.NextPageKey) || !seenKeys.Add(result.Value.NextPageKey))
            {
                break;
            }

            cursor = new TokenPageCursor(result.Value.NextPageKey, null, 0);
        }

        KillLog.InventoryLoaded(logger, environment.Name, tokens.Count);
        return tokens;
    }
}
