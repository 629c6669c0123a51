using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Dynatrace.Targets;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Kill;

public sealed partial class KillService
{
    /// <summary>
    /// Every environment answered 404 to the lookup by secret. That proves the secret is not a live token, not that the id
    /// is unknown: one more request per environment (a GET by id, all at once, the hinted one first), made only on this
    /// path, tells "no such token" from "the id exists in X but this secret is not its secret" (altered or forged in the
    /// report, or a real leak mangled on the way). The second is not disabled: a human decides.
    /// </summary>
    private async Task<TokenOutcome> SecretNotVerifiedOrNotFoundAsync(KillItem item, IReadOnlyList<ITokenTarget> targets, TargetMatch<TokenFacts> bySecret, CancellationToken cancellationToken)
    {
        var id = item.Id;
        var byId = await _search.FindAsync(Lookup(id, secret: null), targets, item.Leak.OwnerHint, id, cancellationToken).ConfigureAwait(false);
        if (!byId.Found)
        {
            return Outcome(item, TokenOutcomeKind.NotFound, bySecret.Detail);
        }

        var (target, facts) = (byId.Target!, byId.Info!);
        return Outcome(item, TokenOutcomeKind.SecretNotVerified,
            $"{id} exists in environment {target.Name} ({(facts.Enabled == true ? "enabled" : "disabled")}), but the reported secret is not its secret: Dynatrace's lookup by "
            + $"secret answered 404 in every environment. Not disabled. If the leak is real, disable it by id: tokenfunctions kill {id} (or KillSwitch by id on the queue).",
            target,
            facts);
    }

    /// <summary>
    /// The exact steps when the leaked secret is the OAuth client this app itself uses for an account: no Dynatrace API
    /// revokes an OAuth client secret (reference §10), so a bare "Protected" would leave the reader guessing. Null when
    /// <paramref name="id"/> is not one of the app's clients.
    /// </summary>
    private string? OwnOAuthClientSteps(TokenId id)
    {
        foreach (var client in _directory.Accounts)
        {
            var account = client.Account;
            var primary = string.Equals(account.ClientId, id.Value, StringComparison.Ordinal);
            if (!primary && !string.Equals(account.SecondaryClientId, id.Value, StringComparison.Ordinal))
            {
                continue;
            }

            var secret = primary ? account.ClientSecret : account.SecondaryClientSecret;
            var other = primary ? account.SecondaryClientId : account.ClientId;
            return $"{id} is the {(primary ? "OAuth client" : "secondary OAuth client")} this app uses for account {account.Name}, and no Dynatrace API revokes an OAuth "
                + $"client secret. Whoever holds it can manage platform tokens in {account.Name}. Do now, in Account Management > Identity & access management > OAuth clients: "
                + $"(1) create a new client with the same scopes (or regenerate this client's secret); (2) put its secret in {secret} and its id in the setting; "
                + $"(3) check with `tokenfunctions status`; (4) delete client {id}."
                + (other is null ? " Until then this app keeps using the leaked client." : $" Meanwhile this app can act through {other}.");
        }

        return null;
    }
}
