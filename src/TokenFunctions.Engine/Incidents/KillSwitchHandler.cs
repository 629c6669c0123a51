using System.Globalization;
using Microsoft.Extensions.Logging;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Incidents;

/// <summary>
/// <c>kill-switch</c>: lists the tokens a selector covers, environment by environment and account by account, and
/// disables them page by page. A cursor per source is saved after every page, and the page being worked on is re-read
/// by the next delivery (the ledger skips its finished tokens), so a 10,000-token selector finishes across redeliveries.
/// A failure in one source does not hold up the others.
/// </summary>
internal sealed class KillSwitchHandler : IIncidentHandler
{
    /// <summary>Restarts per source and delivery: an expired key is normal between deliveries, a loop within one is not.</summary>
    private const int MaxRestartsPerDelivery = 2;
    private const int PlatformPageSize = 100;

    /// <summary>Beyond this many waiting retries in one source, listing pauses there: the environment is not healthy.</summary>
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

    /// <summary>Dynatrace's <c>apiTokenSelector</c>; null lists every classic token (allowed only with allTokens and an environment).</summary>
    internal static string? ApiTokenSelector(KillSwitchSelector selector)
    {
        var parts = new List<string>(2);
        if (selector.Owner is not null)
        {
            parts.Add($"owner(\"{selector.Owner}\")");
        }

        if (selector.Scope is not null)
        {
            parts.Add($"scope(\"{selector.Scope}\")");
        }

        return parts.Count == 0 ? null : string.Join(',', parts);
    }

    public async Task<WorkOutcome> RunAsync(IncidentWork work, CancellationToken cancellationToken)
    {
        var selector = ((KillSwitchMessage)work.Message).Selector;
        var sources = ResolveTargets(selector, out var unknown);
        if (unknown is not null)
        {
            return new WorkOutcome { Terminal = unknown };
        }

        // Cursors for sources added to the configuration since the last delivery are created here.
        work.Update(p => p with
        {
            Cursors = [.. sources.Select(s => p.Cursors.FirstOrDefault(c => c.Source == s.Key) ?? new TargetCursor { Source = s.Key })],
        });

        var failing = new List<TokenId>();
        var stalled = new List<string>();
        var budgetSpent = false;
        foreach (var source in sources)
        {
            var result = await RunTargetAsync(work, selector, source, failing, cancellationToken).ConfigureAwait(false);
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
                stalled.Add(source.Key);
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

    private async Task<TargetRun> RunTargetAsync(IncidentWork work, KillSwitchSelector selector, SelectorTarget source, List<TokenId> failing, CancellationToken cancellationToken)
    {
        if (await RetryAsync(work, source, cancellationToken).ConfigureAwait(false) is { } stop)
        {
            return stop;
        }

        var restarts = 0;
        while (Cursor(work, source.Key) is { Finished: false } cursor)
        {
            if (cursor.Retry.Count >= MaxRetryPerTarget)
            {
                return TargetRun.Stalled;
            }

            if (work.ShouldStop)
            {
                return TargetRun.BudgetSpent;
            }

            var page = source.Environment is not null
                ? await ListClassicAsync(source.Environment, selector, cursor, work.Options.PageSize, cancellationToken).ConfigureAwait(false)
                : await ListPlatformAsync(source.Account!, selector, cursor, cancellationToken).ConfigureAwait(false);

            if (page.Error is { } error)
            {
                var mayRestart = cursor.PageKey is not null && restarts < MaxRestartsPerDelivery;
                if (await ListingFailedAsync(work, source, cursor, page, error, mayRestart, cancellationToken).ConfigureAwait(false) is { } failed)
                {
                    return failed;
                }

                restarts++;
                continue;
            }

            if (await RunPageAsync(work, source, cursor, page, failing, cancellationToken).ConfigureAwait(false) is { } result)
            {
                return result;
            }
        }

        return TargetRun.Done;
    }

    /// <summary>
    /// A page that could not be listed. Returns null when the listing starts over (a page key Dynatrace no longer takes),
    /// otherwise why this source stops: an outage (retried later) or a refusal a human must fix.
    /// </summary>
    private async Task<TargetRun?> ListingFailedAsync(
        IncidentWork work, SelectorTarget source, TargetCursor cursor, TokenPage page, DynatraceError error, bool mayRestart, CancellationToken cancellationToken)
    {
        IncidentLog.ListingFailed(_logger, work.IncidentId, source.Key, page.Status.ToString(), Redaction.Redact(error.ToString()));
        if (page.Status == DynatraceStatus.Transient)
        {
            return TargetRun.Stalled;
        }

        if (page.Status == DynatraceStatus.BadRequest && mayRestart)
        {
            IncidentLog.ListingRestarted(_logger, work.IncidentId, source.Key);
            SetCursor(work, cursor with { PageKey = null, PlatformPage = null, PageNumber = 0, Listed = 0, Restarts = cursor.Restarts + 1 });
            return null;
        }

        // Refused credential or selector: retrying cannot help. A resubmitted dead letter starts this source again.
        work.AddNeedsHuman($"{source.Key}: cannot list tokens ({page.Status}: {Truncate(Redaction.Redact(error.ToString()))})");
        SetCursor(work, cursor with { Finished = true });
        return await work.CheckpointAsync(cancellationToken).ConfigureAwait(false) ? TargetRun.Done : TargetRun.LeaseLost;
    }

    /// <summary>
    /// Disables one listed page's unfinished tokens and moves the cursor past it. Returns null to list the next page,
    /// otherwise why this source stops for this delivery.
    /// </summary>
    private async Task<TargetRun?> RunPageAsync(
        IncidentWork work, SelectorTarget source, TargetCursor cursor, TokenPage page, List<TokenId> failing, CancellationToken cancellationToken)
    {
        // Tokens already waiting for a retry were tried in this delivery; the retry list keeps them.
        var waiting = cursor.Retry.ToHashSet(StringComparer.Ordinal);
        var pending = page.Tokens
            .Where(id => !work.IsFinished(id) && !waiting.Contains(id.Value))
            .Select(id => IncidentLeaks.Create(work.Message, id, null, source.Name, work.Delivery.EnqueuedTime))
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
            Listed = cursor.Listed + (page.Listed ?? page.Tokens.Count),
            Finished = page.IsLast,
            Retry = [.. cursor.Retry, .. run.Failing.Select(id => id.Value)],
        });
        work.MarkProgress();
        return await work.CheckpointAsync(cancellationToken).ConfigureAwait(false) ? null : TargetRun.LeaseLost;
    }

    /// <summary>
    /// Retries the source's waiting tokens first. Returns null to go on listing, or why to stop: the budget, a lost lease,
    /// or a whole batch of them failing again (the environment is still down).
    /// </summary>
    private async Task<TargetRun?> RetryAsync(IncidentWork work, SelectorTarget source, CancellationToken cancellationToken)
    {
        var cursor = Cursor(work, source.Key);
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
            .Select(id => IncidentLeaks.Create(work.Message, id, null, source.Name, work.Delivery.EnqueuedTime))
            .ToList();
        var run = await _runner.RunAsync(work, pending, stopWhenBatchFails: true, cancellationToken).ConfigureAwait(false);
        if (run.LeaseLost)
        {
            return TargetRun.LeaseLost;
        }

        var tried = pending.Count - run.Unattempted;
        var stillWaiting = run.Failing.Select(id => id.Value).Concat(pending.Skip(tried).Select(l => l.TokenId.Value)).ToList();
        SetCursor(work, Cursor(work, source.Key) with { Retry = stillWaiting });
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

    private static async Task<TokenPage> ListClassicAsync(IEnvironmentTokenClient client, KillSwitchSelector selector, TargetCursor cursor, int pageSize, CancellationToken cancellationToken)
    {
        var query = cursor.PageKey is null
            ? new ApiTokenQuery { ApiTokenSelector = ApiTokenSelector(selector), PageSize = Math.Clamp(pageSize, 100, 10_000) }
            : new ApiTokenQuery { NextPageKey = cursor.PageKey, Fields = null };
        var result = await client.ListAsync(query, cancellationToken).ConfigureAwait(false);
        if (!result.IsOk || result.Value is null)
        {
            return TokenPage.Failed(result.Status, result.Error ?? new DynatraceError(0, "empty answer"));
        }

        var page = result.Value;
        return new TokenPage([.. page.Tokens.Select(t => t.Id)], page.NextPageKey, IsLast: page.NextPageKey is null);
    }

    /// <summary>
    /// Lists every platform token of the account and keeps the user's: <c>searchTerm</c> is documented to match token id,
    /// name, creator or scope, not the user UUID, and a kill-switch must not depend on an undocumented match.
    /// </summary>
    private static async Task<TokenPage> ListPlatformAsync(IAccountTokenClient client, KillSwitchSelector selector, TargetCursor cursor, CancellationToken cancellationToken)
    {
        var query = new PlatformTokenQuery(Page: cursor.PlatformPage, Size: PlatformPageSize);
        var result = await client.ListAsync(query, cancellationToken).ConfigureAwait(false);
        if (!result.IsOk || result.Value is null)
        {
            return TokenPage.Failed(result.Status, result.Error ?? new DynatraceError(0, "empty answer"));
        }

        var page = result.Value;
        var step = PlatformTokenPaging.Next(page, query.Page, cursor.Listed, query.Size);
        if (step.Inconsistent)
        {
            return TokenPage.Failed(DynatraceStatus.Transient, new DynatraceError(0,
                $"Dynatrace reports {page.Total} platform token(s) but its pages up to {page.PageNumber ?? query.Page} came back empty."));
        }

        Guid? user = selector.PlatformUserUuid is null ? null : Guid.ParseExact(selector.PlatformUserUuid, "D");
        var tokens = page.Tokens
            .Where(t => user is null || (Guid.TryParse(t.UserUuid, out var owner) && owner == user))
            .Select(t => t.Id)
            .ToList();
        return new TokenPage(tokens, null, step.IsLast) { NextPlatformPage = step.Next, Listed = page.Tokens.Count };
    }

    private List<SelectorTarget> ResolveTargets(KillSwitchSelector selector, out IncidentMessageError? unknown)
    {
        unknown = null;
        var sources = new List<SelectorTarget>();
        if (selector.Owner is not null || selector.Scope is not null || (selector.AllTokens && selector.Environment is not null))
        {
            var environments = _directory.Environments;
            var chosen = selector.Environment is null
                ? environments
                : environments.Where(e => string.Equals(e.Environment.Name, selector.Environment, StringComparison.OrdinalIgnoreCase)).ToList();
            if (chosen.Count == 0)
            {
                unknown = new IncidentMessageError(DeadLetterReasons.UnknownTarget, selector.Environment is null
                    ? "No Dynatrace environment is configured, so the selector's classic tokens cannot be listed. Configure the environments (Dynatrace:Environments), then resubmit."
                    : $"selector.environment \"{selector.Environment}\" is not a configured environment (configured: {Names(environments.Select(e => e.Environment.Name))}). Fix the name and send the message again.");
                return sources;
            }

            sources.AddRange(chosen.Select(e => new SelectorTarget("environment:" + e.Environment.Name, e.Environment.Name, e, null)));
        }

        if (selector.PlatformUserUuid is not null || (selector.AllTokens && selector.Account is not null))
        {
            var accounts = _directory.Accounts;
            var chosen = selector.Account is null
                ? accounts
                : accounts.Where(a => string.Equals(a.Account.Name, selector.Account, StringComparison.OrdinalIgnoreCase)).ToList();
            if (chosen.Count == 0)
            {
                unknown = new IncidentMessageError(DeadLetterReasons.UnknownTarget, selector.Account is null
                    ? "No Dynatrace account is configured, so the selector's platform tokens cannot be listed. Configure the accounts (Dynatrace:Accounts), then resubmit."
                    : $"selector.account \"{selector.Account}\" is not a configured account (configured: {Names(accounts.Select(a => a.Account.Name))}). Fix the name and send the message again.");
                return sources;
            }

            sources.AddRange(chosen.Select(a => new SelectorTarget("account:" + a.Account.Name, a.Account.Name, null, a)));
        }

        return sources;
    }

    private static string Names(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }

    private static TargetCursor Cursor(IncidentWork work, string source) => work.Progress.Cursors.First(c => c.Source == source);

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

    private sealed record SelectorTarget(string Key, string Name, IEnvironmentTokenClient? Environment, IAccountTokenClient? Account);

    private sealed record TokenPage(IReadOnlyList<TokenId> Tokens, string? NextPageKey, bool IsLast)
    {
        public DynatraceStatus Status { get; init; } = DynatraceStatus.Ok;

        public DynatraceError? Error { get; init; }

        public int? NextPlatformPage { get; init; }

        /// <summary>Tokens on the page before the selector's filter, when it differs from <see cref="Tokens"/>.</summary>
        public int? Listed { get; init; }

        public static TokenPage Failed(DynatraceStatus status, DynatraceError error) => new([], null, true) { Status = status, Error = error };
    }
}
