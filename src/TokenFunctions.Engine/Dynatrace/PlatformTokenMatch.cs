using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Dynatrace;

/// <summary>
/// Picks the token a <c>searchTerm=&lt;id&gt;</c> list was asked for. The docs say the term "matches tokenId, name, createdBy
/// or scope", so a hit may be another token whose name mentions the id. An item whose <c>tokenId</c> is the id wins. On a
/// server that names tokens with ids of its own, an item the term matched although none of the fields the list shows
/// contains it can only have matched on the id the list does not show: if exactly one such item came back, it is the one.
/// </summary>
internal static class PlatformTokenMatch
{
    public static PlatformTokenInfo? Exact(IReadOnlyList<PlatformTokenInfo> tokens, TokenId id) =>
        tokens.FirstOrDefault(t => string.Equals(t.ServerId, id.Value, StringComparison.Ordinal) || t.Id == id);

    /// <summary>Server-form items none of whose shown fields contains the term.</summary>
    public static IEnumerable<PlatformTokenInfo> HiddenMatches(IEnumerable<PlatformTokenInfo> tokens, TokenId id) =>
        tokens.Where(t => t.Id.IsServerForm && !Shows(t, id.Value));

    private static bool Shows(PlatformTokenInfo token, string term) =>
        Has(token.ServerId, term) || Has(token.Name, term) || Has(token.Description, term) || Has(token.UserUuid, term)
        || token.Scopes.Any(s => Has(s, term));

    private static bool Has(string? field, string term) => field?.Contains(term, StringComparison.OrdinalIgnoreCase) == true;
}
