using System.Globalization;
using Microsoft.Extensions.Logging;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Dynatrace.Targets;
using TokenFunctions.Engine.Incidents.Ledger;
using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Incidents.Handlers;

/// <summary>
/// <c>kill-switch</c>: lists the tokens a selector covers, environment by environment and account by account, and
/// disables them page by page. A cursor per target is saved after every page, and the page being worked on is re-read
/// by the next delivery (the ledger skips its finished tokens), so a 10,000-token selector finishes across redeliveries.
/// A failure in one target does not hold up the others.
/// </summary>
internal sealed class KillSwitchHandler : IIncidentHandler
{
    /// <summary>Restarts per target and delivery: an expired key is normal between deliveries, a loop within one is not.</summary>
    private const int MaxRestartsPerDelivery = 2;

    /// <summary>Beyond this many waiting retries in one target, listing pauses there: the environment is not healthy.</summary>
    private const int MaxRetryPerTarget = 1000;

    private readonly IDynatraceDirectory _directory;
    private readonly LeakBatchRunner _runner;
    private readonly ILogger _logger;

    public KillSwitchHandler(IDynatraceDirectory directory, LeakBatchRunner runner, ILogger logger)
    {
        _directory = directory;
        _runner = runner;
        _logger = logger;
    }

    public string LedgerAction(IncidentMessage message) => message.DryRun ? LedgerActions.DisableDryRun : LedgerActions.Disable;

    /// <summary>The tokens the selector covers within each target it names.</summary>
    internal static TokenSelector TokenSelectorOf(KillSwitchSelector selector) => new(selector.Owner, selector.Scope, selector.PlatformUserUuid);

    public async Task<WorkOutcome> RunAsync(IncidentWork work, CancellationToken cancellationToken)
    {
        var selector = ((KillSwitchMessage)work.Message).Selector;
        var targets = ResolveTargets(selector, out var unknown);
        if (unknown is not null)
        {
            return new WorkOutcome { Terminal = unknown };
        }

        // Cursors for targets added to the configuration since the last delivery are created here.
        work.Update(p => p with
        {
            Cursors = [.. targets.Select(t => p.Cursors.FirstOrDefault(c => c.Source == t.Key) ?? new TargetCursor { Source = t.Key })],
        });

        var failing = new List<TokenId>();
        var stalled = new List<string>();
        var budgetSpent = false;
        var tokens = TokenSelectorOf(selector);
        foreach (var target in targets)
        {
            var result = await RunTargetAsync(work, tokens, target, failing, cancellationToken).ConfigureAwait(false);
            if (result == TargetRun.LeaseLost)
            {
                return WorkOutcome.Lost;
            }

            if (result == TargetRun.BudgetSpent)
            {
                budgetSpent = true;
                break;
            }

            if (result == TargetRun.Stalled)
            {
                stalled.Add(target.Key);
            }
        }

        var cursors = work.Progress.Cursors;
        if (cursors.All(c => c.Finished && c.Retry.Count == 0) && work.Progress.Succeeded + work.Progress.Settled + work.Progress.NeedsHumanCount == 0)
        {
            IncidentLog.NothingMatched(_logger, work.IncidentId);
        }

        return new WorkOutcome
        {
            Failing = [.. failing.Select(id => id.Value).Concat(cursors.SelectMany(c => c.Retry)).Distinct(StringComparer.Ordinal).Select(TokenId.FromServer)],
            BudgetSpent = budgetSpent,
            Unfinished = [.. cursors.Where(c => !c.Finished).Select(c => string.Create(
                CultureInfo.InvariantCulture,
                $"{c.Source} at page {c.PageNumber + 1} ({c.Listed:N0} token(s) listed before it){(stalled.Contains(c.Source) ? ", failing" : string.Empty)}"))],
        };
    }

    private async Task<TargetRun> RunTargetAsync(IncidentWork work, TokenSelector selector, ITokenTarget target, List<TokenId> failing, CancellationToken cancellationToken)
    {
        if (await RetryAsync(work, target, cancellationToken).ConfigureAwait(false) is { } stop)
        {
            return stop;
        }

        var restarts = 0;
        while (Cursor(work, target.Key) is { Finished: false } cursor)
        {
            if (cursor.Retry.Count >= MaxRetryPerTarget)
            {
                return TargetRun.Stalled;
            }

            if (work.ShouldStop)
            {
                return TargetRun.BudgetSpent;
            }

            var at = new TokenPageCursor(cursor.PageKey, cursor.PlatformPage, cursor.Listed);
            var page = await target.ListPageAsync(selector, at, work.Options.PageSize, cancellationToken).ConfigureAwait(false);

            if (page.Error is { } error)
            {
                var mayRestart = cursor.PageKey is not null && restarts < MaxRestartsPerDelivery;
                if (await ListingFailedAsync(work, target, cursor, page, error, mayRestart, cancellationToken).ConfigureAwait(false) is { } failed)
                {
                    return failed;
                }

                restarts++;
                continue;
            }

            if (await RunPageAsync(work, target, cursor, page, failing, cancellationToken).ConfigureAwait(false) is { } result)
            {
                return result;
            }
        }

        return TargetRun.Done;
    }

    /// <summary>
    /// A page that could not be listed. Returns null when the listing starts over (a page key Dynatrace no longer takes),
    /// otherwise why this target stops: an outage (retried later) or a refusal a human must fix.
    /// </summary>
    private async Task<TargetRun?> ListingFailedAsync(
        IncidentWork work, ITokenTarget target, TargetCursor cursor, TokenIdPage page, DynatraceError error, bool mayRestart, CancellationToken cancellationToken)
    {
        IncidentLog.ListingFailed(_logger, work.IncidentId, target.Key, page.Status.ToString(), Redaction.Redact(error.ToString()));
        if (page.Status == DynatraceStatus.Transient)
        {
            return TargetRun.Stalled;
        }

        if (page.Status == DynatraceStatus.BadRequest && mayRestart)
        {
            IncidentLog.ListingRestarted(_logger, work.IncidentId, target.Key);
            SetCursor(work, cursor with { PageKey = null, PlatformPage = null, PageNumber = 0, Listed = 0, Restarts = cursor.Restarts + 1 });
            return null;
        }

        // Refused credential or selector: retrying cannot help. A resubmitted dead letter starts this target again.
        work.AddNeedsHuman($"{target.Key}: cannot list tokens ({page.Status}: {Truncate(Redaction.Redact(error.ToString()))})");
        SetCursor(work, cursor with { Finished = true });
        return await work.CheckpointAsync(cancellationToken).ConfigureAwait(false) ? TargetRun.Done : TargetRun.LeaseLost;
    }

    /// <summary>
    /// Disables one listed page's unfinished tokens and moves the cursor past it. Returns null to list the next page,
    /// otherwise why this target stops for this delivery.
    /// </summary>
    private async Task<TargetRun?> RunPageAsync(
        IncidentWork work, ITokenTarget target, TargetCursor cursor, TokenIdPage page, List<TokenId> failing, CancellationToken cancellationToken)
    {
        // Tokens already waiting for a retry were tried in this delivery; the retry list keeps them.
        var waiting = cursor.Retry.ToHashSet(StringComparer.Ordinal);
        var pending = page.Tokens
            .Where(id => !work.IsFinished(id) && !waiting.Contains(id.Value))
            .Select(id => IncidentLeaks.Create(work.Message, id, null, target.Name, work.Delivery.EnqueuedTime))
            .ToList();
        var run = await _runner.RunAsync(work, pending, stopWhenBatchFails: true, cancellationToken).ConfigureAwait(false);
        if (run.LeaseLost)
        {
            return TargetRun.LeaseLost;
        }

        if (run.BudgetSpent || run.Stopped)
        {
            // The cursor stays on this page: the redelivery re-reads it and the ledger skips what finished.
            failing.AddRange(run.Failing);
            return run.BudgetSpent ? TargetRun.BudgetSpent : TargetRun.Stalled;
        }

        SetCursor(work, cursor with
        {
            PageKey = page.NextPageKey,
            PlatformPage = page.NextPlatformPage,
            PageNumber = cursor.PageNumber + 1,
            Listed = cursor.Listed + page.Listed,
            Finished = page.IsLast,
            Retry = [.. cursor.Retry, .. run.Failing.Select(id => id.Value)],
        });
        work.MarkProgress();
        return await work.CheckpointAsync(cancellationToken).ConfigureAwait(false) ? null : TargetRun.LeaseLost;
    }

    /// <summary>
    /// Retries the target's waiting tokens first. Returns null to go on listing, or why to stop: the budget, a lost lease,
    /// or a whole batch of them failing again (the environment is still down).
    /// </summary>
    private async Task<TargetRun?> RetryAsync(IncidentWork work, ITokenTarget target, CancellationToken cancellationToken)
    {
        var cursor = Cursor(work, target.Key);
        if (cursor.Retry.Count == 0)
        {
            return null;
        }

        if (work.ShouldStop)
        {
            return TargetRun.BudgetSpent;
        }

        var pending = cursor.Retry
            .Select(TokenId.FromServer)
            .Where(id => !work.IsFinished(id))
            .Select(id => IncidentLeaks.Create(work.Message, id, null, target.Name, work.Delivery.EnqueuedTime))
            .ToList();
        var run = await _runner.RunAsync(work, pending, stopWhenBatchFails: true, cancellationToken).ConfigureAwait(false);
        if (run.LeaseLost)
        {
            return TargetRun.LeaseLost;
        }

        var tried = pending.Count - run.Unattempted;
        var stillWaiting = run.Failing.Select(id => id.Value).Concat(pending.Skip(tried).Select(l => l.TokenId.Value)).ToList();
        SetCursor(work, Cursor(work, target.Key) with { Retry = stillWaiting });
        if (!await work.CheckpointAsync(cancellationToken).ConfigureAwait(false))
        {
            return TargetRun.LeaseLost;
        }

        if (run.BudgetSpent)
        {
            return TargetRun.BudgetSpent;
        }

        return run.Stopped ? TargetRun.Stalled : null;
    }

    /// <summary>
    /// The targets the selector covers, environments (classic tokens) before accounts (platform tokens); none and
    /// <paramref name="unknown"/> when a kind the selector covers has no target by the name it gives, or none at all.
    /// </summary>
    private List<ITokenTarget> ResolveTargets(KillSwitchSelector selector, out IncidentMessageError? unknown)
    {
        unknown = null;
        var chosen = new List<ITokenTarget>();
        foreach (var scope in SelectorScope.Of(selector).Where(s => s.Covered))
        {
            var configured = _directory.Targets().Where(t => t.Kind == scope.Kind).ToList();
            var named = scope.Name is null
                ? configured
                : [.. configured.Where(t => string.Equals(t.Name, scope.Name, StringComparison.OrdinalIgnoreCase))];
            if (named.Count == 0)
            {
                unknown = new IncidentMessageError(DeadLetterReasons.UnknownTarget, scope.Name is null
                    ? $"No Dynatrace {scope.Noun} is configured, so the selector's {scope.Tokens} tokens cannot be listed. Configure the {scope.Noun}s (Dynatrace:{scope.Section}), then resubmit."
                    : $"selector.{scope.Noun} \"{scope.Name}\" is not a configured {scope.Noun} (configured: {Names(configured.Select(t => t.Name))}). Fix the name and send the message again.");
                return [];
            }

            chosen.AddRange(named);
        }

        return chosen;
    }

    private static string Names(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }

    private static TargetCursor Cursor(IncidentWork work, string key) => work.Progress.Cursors.First(c => c.Source == key);

    private static void SetCursor(IncidentWork work, TargetCursor cursor) =>
        work.Update(p => p with { Cursors = [.. p.Cursors.Select(c => c.Source == cursor.Source ? cursor : c)] });

    private static string? Truncate(string? text) => text is { Length: > 200 } ? text[..200] + "…" : text;

    private enum TargetRun
    {
        Done,
        Stalled,
        BudgetSpent,
        LeaseLost,
    }

    /// <summary>What a selector says about one kind of target: whether it covers it, the one name it limits it to, and how messages name it.</summary>
    private sealed record SelectorScope(TokenKind Kind, bool Covered, string? Name, string Noun, string Tokens, string Section)
    {
        public static SelectorScope[] Of(KillSwitchSelector selector) =>
        [
            new(TokenKind.ClassicApiToken, selector.Owner is not null || selector.Scope is not null || (selector.AllTokens && selector.Environment is not null),
                selector.Environment, "environment", "classic", "Environments"),
            new(TokenKind.PlatformToken, selector.PlatformUserUuid is not null || (selector.AllTokens && selector.Account is not null),
                selector.Account, "account", "platform", "Accounts"),
        ];
    }
}
