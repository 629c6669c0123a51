using System.Collections.Concurrent;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Dynatrace;

/// <summary>
/// What one account client has learned about platform-token ids: the account's id form, and for a server that uses ids
/// of its own, which server id belongs to which <c>dt0s16.PUBLIC</c> id (from create answers and searches). In memory:
/// after a restart a search learns it again. Bounded, because list items of other people's tokens are not kept here.
/// </summary>
internal sealed class PlatformIdBook
{
    private const int MaxEntries = 50_000;
    private readonly ConcurrentDictionary<string, string> _serverIdOf = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TokenId> _idOf = new(StringComparer.Ordinal);
    private int _form;
    private int _searchFindsPrefixedIds;

    public PlatformIdForm Form => (PlatformIdForm)Volatile.Read(ref _form);

    /// <summary>
    /// True once a search for a <c>dt0s16</c> id singled out a server-form token: the server's <c>searchTerm</c> matches the
    /// ids it does not show, so a search that finds nothing proves absence.
    /// </summary>
    public bool SearchFindsPrefixedIds => Volatile.Read(ref _searchFindsPrefixedIds) != 0;

    /// <summary>The id form a <c>tokenId</c> from this server shows.</summary>
    public void Saw(string serverId) =>
        Volatile.Write(ref _form, (int)(TokenId.TryParse(serverId, out _) ? PlatformIdForm.Prefixed : PlatformIdForm.ServerAssigned));

    public void Remember(TokenId id, string serverId)
    {
        Saw(serverId);
        if (id.IsServerForm || string.Equals(id.Value, serverId, StringComparison.Ordinal))
        {
            return;
        }

        if (_serverIdOf.Count >= MaxEntries)
        {
            _serverIdOf.Clear();
            _idOf.Clear();
        }

        _serverIdOf[id.Value] = serverId;
        _idOf[serverId] = id;
    }

    public void LearnedSearchFindsPrefixedIds() => Volatile.Write(ref _searchFindsPrefixedIds, 1);

    public void Forget(TokenId id)
    {
        if (_serverIdOf.TryRemove(id.Value, out var serverId))
        {
            _idOf.TryRemove(serverId, out _);
        }
    }

    /// <summary>What to put in the path: the learned server id, else the id itself.</summary>
    public string AddressOf(TokenId id) => !id.IsServerForm && _serverIdOf.TryGetValue(id.Value, out var serverId) ? serverId : id.Value;

    /// <summary>The <c>dt0s16</c> id of a server id, when learned.</summary>
    public TokenId? IdOf(string serverId) => _idOf.TryGetValue(serverId, out var id) ? id : null;

    /// <summary>
    /// Whether a 404 at <paramref name="address"/> proves the token is not in this account: the address is in the server's
    /// own form, or the server is known to use <c>dt0s16</c> ids. A <c>dt0s16</c> path at a server whose form is unknown or
    /// its own proves nothing.
    /// </summary>
    public bool NotFoundIsConclusive(string address) => !TokenId.TryParse(address, out _) || Form == PlatformIdForm.Prefixed;
}
