using Microsoft.Extensions.Logging;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Dynatrace.Targets;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Kill;

/// <summary>
/// Finds which environment or account owns a token. A classic token's secret does not say which environment issued
/// it, so every candidate is asked at once and the first 200 wins; the other requests are cancelled, which makes the
/// cost about one round trip whatever the number of environments. A hinted owner is asked alone first. Every question
/// goes through the target's <see cref="ConcurrencyGates">gate</see>.
/// </summary>
public sealed class TargetSearch(ConcurrencyGates gates, ILogger logger)
{
    private static readonly DynatraceResult<object> Cancelled =
        DynatraceResult<object>.Fail(DynatraceStatus.Transient, new DynatraceError(0, "cancelled"));

    internal async Task<TargetMatch<TInfo>> FindAsync<TInfo>(
        Func<ITokenTarget, CancellationToken, Task<DynatraceResult<TInfo>>> ask,
        IReadOnlyList<ITokenTarget> candidates,
        string? ownerHint,
        TokenId id,
        CancellationToken cancellationToken)
    {
        if (candidates.Count == 0)
        {
            return TargetMatch<TInfo>.Missing(TokenOutcomeKind.NotFound, $"No Dynatrace {OwnerKind(id)} is configured, so nothing can own {id}.");
        }

        var answers = new List<Answer>(candidates.Count);
        var rest = candidates;
        if (!string.IsNullOrWhiteSpace(ownerHint))
        {
            var hinted = candidates.FirstOrDefault(c => string.Equals(c.Name, ownerHint, StringComparison.OrdinalIgnoreCase));
            if (hinted is null)
            {
                KillLog.UnknownOwnerHint(logger, id, ownerHint, OwnerKind(id));
            }
            else
            {
                var found = await FirstFoundAsync(ask, [hinted], answers, cancellationToken).ConfigureAwait(false);
                if (found is not null)
                {
                    return found;
                }

                rest = [.. candidates.Where(c => !ReferenceEquals(c, hinted))];
            }
        }

        return await FirstFoundAsync(ask, rest, answers, cancellationToken).ConfigureAwait(false)
            ?? Explain<TInfo>(OwnerKind(id), id, answers);
    }

    private async Task<TargetMatch<TInfo>?> FirstFoundAsync<TInfo>(
        Func<ITokenTarget, CancellationToken, Task<DynatraceResult<TInfo>>> ask,
        IReadOnlyList<ITokenTarget> targets,
        List<Answer> answers,
        CancellationToken cancellationToken)
    {
        if (targets.Count == 0)
        {
            return null;
        }

        return targets.Count == 1
            ? await AskOneAsync(ask, targets[0], answers, cancellationToken).ConfigureAwait(false)
            : await RaceAsync(ask, targets, answers, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TargetMatch<TInfo>?> AskOneAsync<TInfo>(
        Func<ITokenTarget, CancellationToken, Task<DynatraceResult<TInfo>>> ask,
        ITokenTarget only,
        List<Answer> answers,
        CancellationToken cancellationToken)
    {
        var answer = await AskAsync(ask, only, cancellationToken).ConfigureAwait(false);
        if (answer.IsOk)
        {
            return TargetMatch<TInfo>.Of(only, answer.Value!);
        }

        answers.Add(new Answer(only, answer.Status, answer.Error));
        return null;
    }

    /// <summary>
    /// Asks every target at once; the first found wins and the others are cancelled. One piece on purpose: the linked
    /// source, the pending list and the disposal after the last loser are one lifetime, and splitting them would hand a
    /// source that may still be in use across methods.
    /// </summary>
    private async Task<TargetMatch<TInfo>?> RaceAsync<TInfo>(
        Func<ITokenTarget, CancellationToken, Task<DynatraceResult<TInfo>>> ask,
        IReadOnlyList<ITokenTarget> targets,
        List<Answer> answers,
        CancellationToken cancellationToken)
    {
        var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pending = new List<Task<(ITokenTarget Target, DynatraceResult<TInfo> Answer)>>(targets.Count);
        foreach (var target in targets)
        {
            pending.Add(AskPairAsync(ask, target, linked.Token));
        }

        try
        {
            while (pending.Count > 0)
            {
                var done = await Task.WhenAny(pending).ConfigureAwait(false);
                pending.Remove(done);
                var (target, answer) = await done.ConfigureAwait(false);
                if (answer.IsOk)
                {
                    await linked.CancelAsync().ConfigureAwait(false);
                    return TargetMatch<TInfo>.Of(target, answer.Value!);
                }

                answers.Add(new Answer(target, answer.Status, answer.Error));
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

    private async Task<(ITokenTarget, DynatraceResult<TInfo>)> AskPairAsync<TInfo>(Func<ITokenTarget, CancellationToken, Task<DynatraceResult<TInfo>>> ask, ITokenTarget target, CancellationToken cancellationToken) => (target, await AskAsync(ask, target, cancellationToken).ConfigureAwait(false));

    /// <summary>One question to one owner, inside that owner's concurrency gate. Never throws: failures become data.</summary>
    internal async Task<DynatraceResult<TInfo>> AskAsync<TInfo>(Func<ITokenTarget, CancellationToken, Task<DynatraceResult<TInfo>>> ask, ITokenTarget target, CancellationToken cancellationToken)
    {
        var gate = gates.For(target);
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
            return await ask(target, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Cancelled.As<TInfo>();
        }
        catch (Exception ex)
        {
            var safe = Redaction.RedactException(ex);
            KillLog.AskFailed(logger, target.Name, safe);
            return DynatraceResult<TInfo>.Fail(DynatraceStatus.Transient, new DynatraceError(0, $"{ex.GetType().Name}: {safe.Message}"));
        }
        finally
        {
            gate.Release();
        }
    }

    private static TargetMatch<TInfo> Explain<TInfo>(string ownerKind, TokenId id, List<Answer> answers)
    {
        var notFound = answers.Where(a => a.Status == DynatraceStatus.NotFound).Select(a => a.Target.Name).ToList();
        var denied = answers.Where(a => a.Status is DynatraceStatus.Unauthorized or DynatraceStatus.Forbidden).ToList();
        var unaddressed = answers.Where(a => a.Status == DynatraceStatus.Unaddressable).ToList();
        var failed = answers.Where(a => a.Status is not (DynatraceStatus.NotFound or DynatraceStatus.Unauthorized or DynatraceStatus.Forbidden or DynatraceStatus.Unaddressable)).ToList();
        var notFoundText = notFound.Count == 0 ? string.Empty : $" Not found (404) in: {string.Join(", ", notFound)}.";
        var unaddressedText = unaddressed.Count == 0 ? string.Empty : $" Cannot address this token (id form unknown) in: {Describe(unaddressed)}.";
        IReadOnlyList<ITokenTarget> maybe = [.. unaddressed.Select(a => a.Target)];
        TargetMatch<TInfo> Missing(TokenOutcomeKind kind, string text, OutcomeCause cause = OutcomeCause.None) =>
            TargetMatch<TInfo>.Missing(kind, Redaction.Redact(text)!, cause) with { Unaddressed = maybe };

        if (failed.Count > 0)
        {
            // The token may live where we could not look: retrying later can still find it.
            return Missing(
                TokenOutcomeKind.Failed,
                $"Could not ask every {ownerKind} about {id}; retry later. Failed: {Describe(failed)}.{notFoundText}{unaddressedText}"
                    + (denied.Count > 0 ? $" Refused our credential: {Describe(denied)}." : string.Empty),
                OutcomeCause.Unanswered);
        }

        if (denied.Count > 0)
        {
            return Missing(
                TokenOutcomeKind.Denied,
                $"Dynatrace refused this app's credential in {Describe(denied)}, so {id} may live there; fix the credential or its scopes.{notFoundText}{unaddressedText}",
                denied.Any(a => a.Status == DynatraceStatus.Unauthorized) ? OutcomeCause.CredentialRefused : OutcomeCause.PermissionMissing);
        }

        if (unaddressed.Count > 0)
        {
            return Missing(TokenOutcomeKind.Unaddressable, $"Cannot address {id} (id form unknown): it was not disabled, and it may be live.{unaddressedText}{notFoundText}");
        }

        return TargetMatch<TInfo>.Missing(
            TokenOutcomeKind.NotFound,
            $"No configured {ownerKind} knows {id}: all {notFound.Count} answered 404 ({string.Join(", ", notFound)}).");
    }

    private static string Describe(IEnumerable<Answer> answers) =>
        string.Join("; ", answers.Select(a => $"{a.Target.Name} ({(a.Error is null ? a.Status.ToString() : a.Error.ToString())})"));

    private static string OwnerKind(TokenId id) => id.Kind == TokenKind.PlatformToken ? "account" : "environment";

    /// <summary>One target's answer other than 200.</summary>
    private sealed record Answer(ITokenTarget Target, DynatraceStatus Status, DynatraceError? Error);
}
