using Microsoft.Extensions.Logging;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Kill;

/// <summary>
/// Finds which environment or account owns a token. A classic token's secret does not say which environment issued
/// it, so every candidate is asked at once and the first 200 wins; the other requests are cancelled, which makes the
/// cost about one round trip whatever the number of environments. A hinted owner is asked alone first.
/// </summary>
public sealed class TargetSearch(ConcurrencyGates gates, ILogger logger)
{
    private static readonly DynatraceResult<object> Cancelled =
        DynatraceResult<object>.Fail(DynatraceStatus.Transient, new DynatraceError(0, "cancelled"));

    internal async Task<TargetMatch<TClient, TInfo>> FindAsync<TClient, TInfo>(
        TargetQuery<TClient, TInfo> query,
        IReadOnlyList<TClient> candidates,
        string? ownerHint,
        TokenId id,
        CancellationToken cancellationToken)
        where TClient : class
    {
        if (candidates.Count == 0)
        {
            return TargetMatch<TClient, TInfo>.Missing(TokenOutcomeKind.NotFound, $"No Dynatrace {query.OwnerKind} is configured, so nothing can own {id}.");
        }

        var answers = new List<(TClient Client, string Owner, DynatraceStatus Status, DynatraceError? Error)>(candidates.Count);
        var rest = candidates;
        if (!string.IsNullOrWhiteSpace(ownerHint))
        {
            var hinted = candidates.FirstOrDefault(c => string.Equals(query.NameOf(c), ownerHint, StringComparison.OrdinalIgnoreCase));
            if (hinted is null)
            {
                KillLog.UnknownOwnerHint(logger, id, ownerHint, query.OwnerKind);
            }
            else
            {
                var found = await FirstFoundAsync(query, [hinted], answers, cancellationToken).ConfigureAwait(false);
                if (found is not null)
                {
                    return found;
                }

                rest = [.. candidates.Where(c => !ReferenceEquals(c, hinted))];
            }
        }

        return await FirstFoundAsync(query, rest, answers, cancellationToken).ConfigureAwait(false)
            ?? Explain<TClient, TInfo>(query.OwnerKind, id, answers);
    }

    private async Task<TargetMatch<TClient, TInfo>?> FirstFoundAsync<TClient, TInfo>(
        TargetQuery<TClient, TInfo> query,
        IReadOnlyList<TClient> clients,
        List<(TClient Client, string Owner, DynatraceStatus Status, DynatraceError? Error)> answers,
        CancellationToken cancellationToken)
        where TClient : class
    {
        if (clients.Count == 0)
        {
            return null;
        }

        return clients.Count == 1
            ? await AskOneAsync(query, clients[0], answers, cancellationToken).ConfigureAwait(false)
            : await RaceAsync(query, clients, answers, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TargetMatch<TClient, TInfo>?> AskOneAsync<TClient, TInfo>(
        TargetQuery<TClient, TInfo> query,
        TClient only,
        List<(TClient Client, string Owner, DynatraceStatus Status, DynatraceError? Error)> answers,
        CancellationToken cancellationToken)
        where TClient : class
    {
        var answer = await AskAsync(query, only, cancellationToken).ConfigureAwait(false);
        if (answer.IsOk)
        {
            return TargetMatch<TClient, TInfo>.Of(only, query.NameOf(only), answer.Value!);
        }

        answers.Add((only, query.NameOf(only), answer.Status, answer.Error));
        return null;
    }

    /// <summary>
    /// Asks every client at once; the first found wins and the others are cancelled. One piece on purpose: the linked
    /// source, the pending list and the disposal after the last loser are one lifetime, and splitting them would hand a
    /// source that may still be in use across methods.
    /// </summary>
    private async Task<TargetMatch<TClient, TInfo>?> RaceAsync<TClient, TInfo>(
        TargetQuery<TClient, TInfo> query,
        IReadOnlyList<TClient> clients,
        List<(TClient Client, string Owner, DynatraceStatus Status, DynatraceError? Error)> answers,
        CancellationToken cancellationToken)
        where TClient : class
    {
        var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pending = new List<Task<(TClient Client, DynatraceResult<TInfo> Answer)>>(clients.Count);
        foreach (var client in clients)
        {
            pending.Add(AskPairAsync(query, client, linked.Token));
        }

        try
        {
            while (pending.Count > 0)
            {
                var done = await Task.WhenAny(pending).ConfigureAwait(false);
                pending.Remove(done);
                var (client, answer) = await done.ConfigureAwait(false);
                if (answer.IsOk)
                {
                    await linked.CancelAsync().ConfigureAwait(false);
                    return TargetMatch<TClient, TInfo>.Of(client, query.NameOf(client), answer.Value!);
                }

                answers.Add((client, query.NameOf(client), answer.Status, answer.Error));
            }

            return null;
        }
        finally
        {
            // Losers finish on their own once cancelled; the source is disposed only after the last one let go of it.
            if (pending.Count == 0)
            {
                linked.Dispose();
            }
            else
            {
                _ = Task.WhenAll(pending).ContinueWith(
                    static (_, state) => ((CancellationTokenSource)state!).Dispose(),
                    linked,
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }
        }
    }

    private async Task<(TClient, DynatraceResult<TInfo>)> AskPairAsync<TClient, TInfo>(TargetQuery<TClient, TInfo> query, TClient client, CancellationToken cancellationToken)
        where TClient : class => (client, await AskAsync(query, client, cancellationToken).ConfigureAwait(false));

    /// <summary>One question to one owner, inside that owner's concurrency gate. Never throws: failures become data.</summary>
    internal async Task<DynatraceResult<TInfo>> AskAsync<TClient, TInfo>(TargetQuery<TClient, TInfo> query, TClient client, CancellationToken cancellationToken)
        where TClient : class
    {
        var gate = gates.For(query.GateOf(client));
        try
        {
            await gate.EnterAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return Cancelled.As<TInfo>();
        }

        try
        {
            return await query.Ask(client, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Cancelled.As<TInfo>();
        }
        catch (Exception ex)
        {
            var safe = Redaction.RedactException(ex);
            KillLog.AskFailed(logger, query.NameOf(client), safe);
            return DynatraceResult<TInfo>.Fail(DynatraceStatus.Transient, new DynatraceError(0, $"{ex.GetType().Name}: {safe.Message}"));
        }
        finally
        {
            gate.Release();
        }
    }

    private static TargetMatch<TClient, TInfo> Explain<TClient, TInfo>(
        string ownerKind,
        TokenId id,
        List<(TClient Client, string Owner, DynatraceStatus Status, DynatraceError? Error)> answers)
        where TClient : class
    {
        var notFound = answers.Where(a => a.Status == DynatraceStatus.NotFound).Select(a => a.Owner).ToList();
        var denied = answers.Where(a => a.Status is DynatraceStatus.Unauthorized or DynatraceStatus.Forbidden).ToList();
        var unaddressed = answers.Where(a => a.Status == DynatraceStatus.Unaddressable).ToList();
        var failed = answers.Where(a => a.Status is not (DynatraceStatus.NotFound or DynatraceStatus.Unauthorized or DynatraceStatus.Forbidden or DynatraceStatus.Unaddressable)).ToList();
        var notFoundText = notFound.Count == 0 ? string.Empty : $" Not found (404) in: {string.Join(", ", notFound)}.";
        var unaddressedText = unaddressed.Count == 0 ? string.Empty : $" Cannot address this token (id form unknown) in: {Describe(unaddressed)}.";
        IReadOnlyList<TClient> maybe = [.. unaddressed.Select(a => a.Client)];
        TargetMatch<TClient, TInfo> Missing(TokenOutcomeKind kind, string text) =>
            TargetMatch<TClient, TInfo>.Missing(kind, Redaction.Redact(text)!) with { Unaddressed = maybe };

        if (failed.Count > 0)
        {
            // The token may live where we could not look: retrying later can still find it.
            return Missing(
                TokenOutcomeKind.Failed,
                $"Could not ask every {ownerKind} about {id}; retry later. Failed: {Describe(failed)}.{notFoundText}{unaddressedText}"
                    + (denied.Count > 0 ? $" Refused our credential: {Describe(denied)}." : string.Empty));
        }

        if (denied.Count > 0)
        {
            return Missing(
                TokenOutcomeKind.Denied,
                $"Dynatrace refused this app's credential in {Describe(denied)}, so {id} may live there; fix the credential or its scopes.{notFoundText}{unaddressedText}");
        }

        if (unaddressed.Count > 0)
        {
            return Missing(TokenOutcomeKind.Unaddressable, $"Cannot address {id} (id form unknown): it was not disabled, and it may be live.{unaddressedText}{notFoundText}");
        }

        return TargetMatch<TClient, TInfo>.Missing(
            TokenOutcomeKind.NotFound,
            $"No configured {ownerKind} knows {id}: all {notFound.Count} answered 404 ({string.Join(", ", notFound)}).");
    }

    private static string Describe<TClient>(IEnumerable<(TClient Client, string Owner, DynatraceStatus Status, DynatraceError? Error)> answers) =>
        string.Join("; ", answers.Select(a => $"{a.Owner} ({(a.Error is null ? a.Status.ToString() : a.Error.ToString())})"));
}
