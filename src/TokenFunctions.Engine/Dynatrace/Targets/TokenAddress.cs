using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Dynatrace.Targets;

/// <summary>
/// The id to act on a token with: a platform token's server id when its account names it so (recorded from the create
/// answer or a search, reference §10), so the write needs no search and its 404 means "gone"; otherwise the id itself.
/// </summary>
public static class TokenAddress
{
    public static TokenId Of(TokenId id, string? serverId) =>
        serverId is not null && !string.Equals(serverId, id.Value, StringComparison.Ordinal) && TokenId.TryFromServer(serverId, out var server) ? server : id;
}
