using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Dynatrace.Targets;

namespace TokenFunctions.Engine.Kill;

public sealed partial class KillService
{
    /// <summary>
    /// The status PUT under the token's <c>dt0s16</c> id found no owner, and some accounts' 404 proved nothing (their ids
    /// may take another form, reference §10). Those accounts are searched by <c>searchTerm</c> and the exact <c>tokenId</c>
    /// the list returns is set INACTIVE: one search and one PUT more, only on this path. Where no search maps the token the
    /// outcome says so ("cannot address this token (id form unknown)"), never "not found".
    /// </summary>
    private async Task<TokenOutcome> DisableUnaddressedAsync(KillItem item, TargetMatch<Done> first, CancellationToken cancellationToken)
    {
        var id = item.Id;
        var found = await _search.FindAsync(
            async (t, ct) =>
            {
                var token = await t.GetAsync(id, ct).ConfigureAwait(false);
                if (!token.IsOk)
                {
                    return token;
                }

                // The search taught the target the server's id for this token: the write goes there.
                var write = await t.SetEnabledAsync(id, false, ct).ConfigureAwait(false);
                return write.IsOk ? token : write.As<TokenFacts>();
            },
            first.Unaddressed,
            item.Leak.OwnerHint,
            id,
            cancellationToken).ConfigureAwait(false);
        if (found.Found)
        {
            var (target, facts) = (found.Target!, found.Info!);
            return Outcome(item, TokenOutcomeKind.Disabled,
                $"{id} set INACTIVE in account {target.Name} under the id the account gives it ({facts.ServerId ?? facts.Id.Value}), found by searchTerm after a 404 under its dt0s16 id. "
                + "Dynatrace may take up to five minutes to propagate a platform token's status." + KillWording.ReadingsMet(target),
                target,
                facts);
        }

        // A transient failure or a refused credential elsewhere may still hide the token: those outcomes stand.
        return first.Failure is TokenOutcomeKind.Failed or TokenOutcomeKind.Denied
            ? Outcome(item, first.Failure, $"{first.Detail} Search by searchTerm: {found.Detail}") with { Cause = first.Cause }
            : Outcome(item, found.Failure, $"{found.Detail} First PUT under the dt0s16 id: {first.Detail}") with { Cause = found.Cause };
    }
}
