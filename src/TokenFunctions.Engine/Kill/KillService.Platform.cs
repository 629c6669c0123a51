using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Kill;

public sealed partial class KillService
{
    /// <summary>
    /// The status PUT under the token's <c>dt0s16</c> id found no owner, and some accounts' 404 proved nothing (their ids
    /// may take another form, reference §10). Those accounts are searched by <c>searchTerm</c> and the exact <c>tokenId</c>
    /// the list returns is set INACTIVE: one search and one PUT more, only on this path. Where no search maps the token the
    /// outcome says so ("cannot address this token (id form unknown)"), never "not found".
    /// </summary>
    private async Task<TokenOutcome> DisableUnaddressedAsync(KillItem item, TargetMatch<IAccountTokenClient, Done> first, CancellationToken cancellationToken)
    {
        var id = item.Id;
        var found = await _search.FindAsync(
            new TargetQuery<IAccountTokenClient, PlatformTokenInfo>("account", AccountName, AccountGate, async (a, ct) =>
            {
                var token = await a.FindAsync(id, ct).ConfigureAwait(false);
                if (!token.IsOk)
                {
                    return token;
                }

                // FindAsync taught the client the server's id for this token: the write goes there.
                var write = await a.SetActiveAsync(id, false, ct).ConfigureAwait(false);
                return write.IsOk ? token : write.As<PlatformTokenInfo>();
            }),
            first.Unaddressed,
            item.Leak.OwnerHint,
            id,
            cancellationToken).ConfigureAwait(false);
        if (found.Found)
        {
            var owner = found.OwnerName!;
            var info = found.Info!;
            return Outcome(item, TokenOutcomeKind.Disabled,
                $"{id} set INACTIVE in account {owner} under the id the account gives it ({info.ServerId}), found by searchTerm after a 404 under its dt0s16 id. "
                + "Dynatrace may take up to five minutes to propagate a platform token's status." + ReadingsMet(found.Client!),
                owner,
                platform: info);
        }

        // A transient failure or a refused credential elsewhere may still hide the token: those outcomes stand.
        return first.Failure is TokenOutcomeKind.Failed or TokenOutcomeKind.Denied
            ? Outcome(item, first.Failure, $"{first.Detail} Search by searchTerm: {found.Detail}")
            : Outcome(item, found.Failure, $"{found.Detail} First PUT under the dt0s16 id: {first.Detail}");
    }

    /// <summary>" Readings met in {account}: …", so an operator learns which reading of the docs the live service uses.</summary>
    private static string ReadingsMet(IAccountTokenClient account) =>
        account.Readings is { } readings && readings != PlatformReadings.None ? $" Readings met in {account.Account.Name}: {readings.Describe()}." : string.Empty;
}
