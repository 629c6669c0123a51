using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Dynatrace.Targets;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Kill;

/// <summary>
/// Reads the <see cref="UsageEvidence"/> of one disabled token. Classic tokens need no request: the kill's lookup carried
/// their last use. A platform token is searched for once in its account (the status PUT that disabled it returned
/// nothing), and the account audit log is read when <see cref="DynatraceAccount.ReadAuditLog"/> is on.
/// </summary>
public sealed class UsageEvidenceCollector(IDynatraceDirectory directory)
{
    public async Task<UsageEvidence> CollectAsync(TokenOutcome outcome, DateTimeOffset since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Kind == TokenKind.ClassicApiToken)
        {
            return outcome.Facts is { } classic
                ? new UsageEvidence { Since = since, LastUsedAt = classic.LastUsedDate, LastUsedFrom = classic.LastUsedFrom, LastUsedFromField = classic.LastUsedFromField }
                : new UsageEvidence { Since = since, Unavailable = "Dynatrace's metadata of the token was not read (found through a listing without it)." };
        }

        var account = directory.Accounts.FirstOrDefault(a => string.Equals(a.Account.Name, outcome.Owner, StringComparison.Ordinal));
        if (outcome.Kind != TokenKind.PlatformToken || account is null)
        {
            return new UsageEvidence { Since = since, Unavailable = "No Dynatrace account to ask about its use." };
        }

        // The status PUT that disabled it answered nothing: one search reads its last use.
        var facts = outcome.Facts;
        string? unavailable = null;
        if (facts is null)
        {
            var found = await new AccountTarget(account).GetAsync(outcome.TokenId, cancellationToken).ConfigureAwait(false);
            facts = found.Value;
            unavailable = found.IsOk ? null : $"Its last use could not be read ({found.Status}).";
        }

        IReadOnlyList<AccountAuditEntry>? entries = null;
        if (account.Account.ReadAuditLog)
        {
            var log = await account.ReadAuditLogAsync(since, cancellationToken).ConfigureAwait(false);
            if (log.IsOk)
            {
                entries = [.. log.Value!.Where(e => MadeWith(e, outcome.TokenId, facts?.ServerId))];
            }
            else
            {
                unavailable = $"{unavailable} The account audit log could not be read ({log.Status}: {log.Error?.Message})".Trim() + ".";
            }
        }

        return new UsageEvidence
        {
            Since = since,
            LastUsedAt = facts?.LastUsedDate,
            LastUsedFrom = facts?.LastUsedFrom,
            LastUsedFromField = facts?.LastUsedFromField,
            AuditEntries = entries,
            Unavailable = unavailable,
        };
    }

    /// <summary>UNCONFIRMED which id <c>authenticationToken</c> carries: the dt0s16 id, the server's id, or the full token's first parts.</summary>
    private static bool MadeWith(AccountAuditEntry entry, TokenId id, string? serverId) =>
        entry.AuthenticationToken is { } token
        && (string.Equals(token, id.Value, StringComparison.Ordinal) || token.StartsWith(id.Value + ".", StringComparison.Ordinal) || (serverId is { Length: > 0 } && string.Equals(token, serverId, StringComparison.Ordinal)));
}
