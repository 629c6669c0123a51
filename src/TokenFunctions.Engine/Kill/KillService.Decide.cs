using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Dynatrace.Targets;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Kill;

public sealed partial class KillService
{
    /// <summary>
    /// One classic or platform token: find the target that holds it, read its state, then decide — Protected,
    /// AlreadyDisabled, WouldDisable (dry run) or one write. Where reading a token means a search (platform tokens: no GET
    /// by id), the write goes first and is the search itself (<see cref="DisableByWritingAsync"/>); only a protected token
    /// or a dry run, which must not write, is read there.
    /// </summary>
    private async Task<TokenOutcome> DisableTokenAsync(KillItem item, string? protectedBecause, KillTargets batch, CancellationToken cancellationToken)
    {
        var targets = batch.For(item.Id.Kind);
        var readsDirectly = targets.All(t => t.ReadsDirectly);
        if (protectedBecause is null && !item.DryRun && !readsDirectly)
        {
            return await DisableByWritingAsync(item, targets, cancellationToken).ConfigureAwait(false);
        }

        // Where one request looks a token up by its secret (classic), a 404 says the secret is not live (see Honesty).
        var secret = readsDirectly ? item.Secret : null;
        var match = batch.Inventory.TryGet(item.Id, out var listed)
            ? listed
            : await _search.FindAsync(Lookup(item.Id, secret), targets, item.Leak.OwnerHint, item.Id, cancellationToken).ConfigureAwait(false);
        if (!match.Found)
        {
            return protectedBecause is not null
                ? Outcome(item, TokenOutcomeKind.Protected, ProtectedDetail(protectedBecause, match.Detail))
                : match.Failure == TokenOutcomeKind.NotFound && secret is not null
                    ? await SecretNotVerifiedOrNotFoundAsync(item, targets, match, cancellationToken).ConfigureAwait(false)
                    : Missed(item.Id, item.Fingerprint, match);
        }

        var (target, facts) = (match.Target!, match.Info!);
        if (protectedBecause is not null)
        {
            return Outcome(item, TokenOutcomeKind.Protected, ProtectedDetail(protectedBecause, KillWording.State(target, facts)), target, facts);
        }

        if (facts.Enabled == false)
        {
            return Outcome(item, TokenOutcomeKind.AlreadyDisabled, KillWording.AlreadyDisabled(target, item.Id), target, facts);
        }

        if (item.DryRun)
        {
            return Outcome(item, TokenOutcomeKind.WouldDisable, KillWording.WouldDisable(target, item.Id), target, facts);
        }

        return await WriteAsync(item.Id, item.Fingerprint, target, facts, enable: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A platform token's id names it in every account, so the status write itself is the search: <c>PUT …/status
    /// INACTIVE</c> goes to every account at once (the hinted one first) and a 404 means "not this account" — one round
    /// trip, no listing.
    /// </summary>
    private async Task<TokenOutcome> DisableByWritingAsync(KillItem item, IReadOnlyList<ITokenTarget> targets, CancellationToken cancellationToken)
    {
        var id = item.Id;
        var write = await _search.FindAsync((t, ct) => t.SetEnabledAsync(id, false, ct), targets, item.Leak.OwnerHint, id, cancellationToken).ConfigureAwait(false);
        if (!write.Found)
        {
            return write.Unaddressed.Count == 0
                ? Missed(item.Id, item.Fingerprint, write)
                : await DisableUnaddressedAsync(item, write, cancellationToken).ConfigureAwait(false);
        }

        // UNCONFIRMED: the status PUT answers 204 without a body and no GET by id is documented, so whether the token was
        // already INACTIVE is not known without a list; the write is idempotent, and the outcome says what was done.
        var target = write.Target!;
        return Outcome(item, TokenOutcomeKind.Disabled,
            $"{id} set INACTIVE in account {target.Name} (Dynatrace does not say whether it already was). Dynatrace may take up to five minutes to propagate a platform token's status."
            + KillWording.ReadingsMet(target),
            target);
    }

    private async Task<TokenOutcome> EnableTokenAsync(TokenId id, string? ownerHint, bool dryRun, CancellationToken cancellationToken)
    {
        var match = await _search.FindAsync(Lookup(id, secret: null), _directory.TargetsFor(id.Kind), ownerHint, id, cancellationToken).ConfigureAwait(false);
        if (!match.Found)
        {
            return Missed(id, null, match);
        }

        var (target, facts) = (match.Target!, match.Info!);
        if (facts.Enabled == true)
        {
            return Outcome(id, null, TokenOutcomeKind.Enabled, KillWording.AlreadyEnabled(target, id), target, facts);
        }

        return dryRun
            ? Outcome(id, null, TokenOutcomeKind.WouldEnable, KillWording.WouldEnable(target, id), target, facts)
            : await WriteAsync(id, null, target, facts, enable: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The one status write, inside the target's gate, and what its answer means.</summary>
    private async Task<TokenOutcome> WriteAsync(TokenId id, string? fingerprint, ITokenTarget target, TokenFacts facts, bool enable, CancellationToken cancellationToken)
    {
        var write = await _search.AskAsync((t, ct) => t.SetEnabledAsync(id, enable, ct), target, cancellationToken).ConfigureAwait(false);
        var (kind, cause, detail) = MapWrite(write, id, target.Name, enable);
        return Outcome(id, fingerprint, kind, detail + KillWording.ReadingsMet(target), target, facts) with { Cause = cause };
    }

    private static (TokenOutcomeKind Kind, OutcomeCause Cause, string Detail) MapWrite(DynatraceResult<Done> write, TokenId id, string owner, bool enable)
    {
        var verb = enable ? "enable" : "disable";
        var error = Redaction.Redact(write.Error?.ToString() ?? write.Status.ToString());
        return write.Status switch
        {
            DynatraceStatus.Ok => (enable ? TokenOutcomeKind.Enabled : TokenOutcomeKind.Disabled, OutcomeCause.None, $"{id} {verb}d in {owner}."),
            DynatraceStatus.NotFound => (TokenOutcomeKind.NotFound, OutcomeCause.None, $"{id} disappeared from {owner} between reading and writing it (deleted?): {error}."),
            DynatraceStatus.OwnCredential => (TokenOutcomeKind.CannotDisableOwnCredential, OutcomeCause.None,
                $"{id} is the credential this app uses for {owner} and no secondary credential is configured. Configure one, or {verb} it by hand, then rotate it."),
            DynatraceStatus.Unauthorized or DynatraceStatus.Forbidden => (TokenOutcomeKind.Denied,
                write.Status == DynatraceStatus.Unauthorized ? OutcomeCause.CredentialRefused : OutcomeCause.PermissionMissing,
                $"Dynatrace refused this app's credential for {owner} when trying to {verb} {id} ({error}); fix the credential or its scopes."),
            DynatraceStatus.BadRequest => (TokenOutcomeKind.Failed, OutcomeCause.Rejected,
                $"Dynatrace rejected the request to {verb} {id} in {owner} ({error}); a retry will not help until the cause is fixed."),
            _ => (TokenOutcomeKind.Failed, OutcomeCause.Unanswered, $"Could not {verb} {id} in {owner} ({error}); retry later."),
        };
    }

    /// <summary>Lookup by secret when the secret is known (any scope suffices), otherwise by id (<c>prefix.public</c>).</summary>
    private static Func<ITokenTarget, CancellationToken, Task<DynatraceResult<TokenFacts>>> Lookup(TokenId id, TokenSecret? secret) =>
        secret is null ? (t, ct) => t.GetAsync(id, ct) : (t, ct) => t.LookupAsync(secret, ct);
}
