using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Dynatrace.Targets;
using TokenFunctions.Engine.KeyVault;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Rotation.Jobs;

/// <summary>
/// The hygiene timer (<c>Rotation:HygieneSchedule</c>): reports tokens that never expire, tokens unused for
/// <c>Rotation:Hygiene:UnusedDays</c>, and disabled tokens nobody deleted, across every environment and account. It can
/// auto-disable long-unused tokens (<c>Rotation:Hygiene:AutoDisableUnused</c>, off by default), but never a managed
/// credential's current token, a token a rotation still owns, or one <see cref="ProtectedTokens"/> names (the configured
/// protected ids and the app's own management credentials).
/// </summary>
public sealed partial class HygieneReportJob(
    IManagedCredentialCatalog catalog,
    IRotationStateStore store,
    TokenTargets targets,
    ProtectedTokens protectedTokens,
    RotationAudit audit,
    IOptions<RotationOptions> options,
    TimeProvider timeProvider,
    ILogger<HygieneReportJob> logger)
{
    public const string Source = "hygiene-timer";

    private readonly RotationOptions _options = (options ?? throw new ArgumentNullException(nameof(options))).Value;

    public async Task<HygieneReport> RunAsync(CancellationToken cancellationToken)
    {
        var (runId, startedAt, correlationId) = JobRun.Start(Source, timeProvider);
        var errors = new List<string>();
        var known = await CollectKnownTokensAsync(errors, cancellationToken).ConfigureAwait(false);
        var autoDisable = _options.Hygiene.AutoDisableUnused && errors.Count == 0;
        var run = new HygieneRun(correlationId, timeProvider.GetUtcNow(), autoDisable, known.Managed, known.Untouchable);
        var findings = new List<HygieneFinding>();
        foreach (var target in targets.All)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await JudgeTargetAsync(target, run, findings, errors, cancellationToken).ConfigureAwait(false);
        }

        Report(findings, errors, known.Problems);
        return new HygieneReport(runId, startedAt, findings, known.Problems, errors);
    }

    /// <summary>
    /// The managed credentials' token ids, and the ids never to auto-disable (protected, retiring, in flight, the app's own);
    /// an error here turns auto-disable off for the run.
    /// </summary>
    private async Task<KnownTokens> CollectKnownTokensAsync(List<string> errors, CancellationToken cancellationToken)
    {
        IReadOnlyList<CredentialProblem> problems = [];
        var managed = new HashSet<string>(StringComparer.Ordinal);
        var untouchable = new HashSet<string>(protectedTokens.ConfiguredIds(), StringComparer.Ordinal);
        try
        {
            var snapshot = await catalog.GetSnapshotAsync(refresh: true, cancellationToken).ConfigureAwait(false);
            problems = snapshot.Problems;
            foreach (var credential in snapshot.Credentials)
            {
                managed.Add(credential.TokenId.Value);
            }

            // Retiring tokens belong to the sweep, in-flight ones to their rotation.
            foreach (var row in await store.ListAsync(cancellationToken).ConfigureAwait(false))
            {
                untouchable.UnionWith(row.Retiring.Select(r => r.TokenId.Value));
                if (row.Active?.NewTokenId is { } fresh)
                {
                    untouchable.Add(fresh.Value);
                }
            }
        }
        catch (RequestFailedException e)
        {
            errors.Add($"Key Vault or storage unavailable (HTTP {e.Status}); auto-disable is off for this run");
        }

        // The app's own management credentials are never auto-disabled, whatever their last use says.
        var (ownIds, allKnown) = await protectedTokens.ReadManagementCredentialsAsync(cancellationToken).ConfigureAwait(false);
        untouchable.UnionWith(ownIds);
        if (_options.Hygiene.AutoDisableUnused && !allKnown)
        {
            errors.Add("the management credentials' token ids could not all be read; auto-disable is off for this run");
        }

        return new KnownTokens(problems, managed, untouchable);
    }

    /// <summary>One environment or account: list every token and judge each.</summary>
    private async Task JudgeTargetAsync(ITokenTarget target, HygieneRun run, List<HygieneFinding> findings, List<string> errors, CancellationToken cancellationToken)
    {
        var listed = await target.ListAsync(null, cancellationToken).ConfigureAwait(false);
        if (!listed.Complete)
        {
            // Report what was seen; the unseen rest waits for the next run.
            errors.Add($"{target.Name}: the token listing stopped after {listed.Tokens.Count} ({listed.Status} {listed.Error})");
        }

        var serverIds = run.AutoDisable && listed.Tokens.Any(t => t.Id.IsServerForm)
            ? await ServerIdsAsync(target, run.Managed.Concat(run.Untouchable), errors, cancellationToken).ConfigureAwait(false)
            : null;
        foreach (var token in listed.Tokens)
        {
            await JudgeTokenAsync(target, token, serverIds, run, findings, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One token: disabled but not deleted, or never expires and/or unused (auto-disabled when allowed and due).</summary>
    private async Task JudgeTokenAsync(
        ITokenTarget target, TokenFacts token, ServerIdMap? serverIds, HygieneRun run, List<HygieneFinding> findings, CancellationToken cancellationToken)
    {
        var isManaged = run.Managed.Contains(token.Id.Value) || serverIds?.Managed(token.Id.Value, run.Managed) == true;
        var finding = new HygieneFinding
        {
            Target = target.Name,
            TokenId = token.Id,
            Issue = HygieneIssue.NeverExpires,
            Name = Redaction.Redact(token.Name),
            Owner = token.Owner,
            CreationDate = token.CreationDate,
            LastUsedDate = token.LastUsedDate,
            Managed = isManaged,
        };
        if (token.Enabled == false)
        {
            findings.Add(finding with { Issue = HygieneIssue.DisabledNotDeleted });
            return;
        }

        if (token.ExpirationDate is null)
        {
            findings.Add(finding);
        }

        var idleSince = token.LastUsedDate ?? token.CreationDate;
        if (idleSince is not { } since || run.Now - since < TimeSpan.FromDays(_options.Hygiene.UnusedDays))
        {
            return;
        }

        var action = HygieneAction.None;
        var known = !token.Id.IsServerForm || serverIds is { Complete: true };
        if (run.AutoDisable && known && !isManaged && !run.Untouchable.Contains(token.Id.Value) && serverIds?.Managed(token.Id.Value, run.Untouchable) != true
            && run.Now - since >= TimeSpan.FromDays(_options.Hygiene.AutoDisableUnusedDays))
        {
            action = await AutoDisableAsync(target, token, since, run.CorrelationId, cancellationToken).ConfigureAwait(false);
        }

        findings.Add(finding with { Issue = HygieneIssue.Unused, Action = action });
    }

    private void Report(List<HygieneFinding> findings, List<string> errors, IReadOnlyList<CredentialProblem> problems)
    {
        // One structured line per finding: the weekly report operators query in Log Analytics (docs/rotation.md).
        foreach (var f in findings)
        {
            LogFinding(f.Issue, f.TokenId.Value, f.Target, f.Owner, f.LastUsedDate, f.Managed, f.Action);
        }

        audit.Metric("hygiene-run", errors.Count == 0 ? "Completed" : "Failed");
        LogRun(findings.Count(f => f.Issue == HygieneIssue.NeverExpires), findings.Count(f => f.Issue == HygieneIssue.Unused),
            findings.Count(f => f.Issue == HygieneIssue.DisabledNotDeleted), findings.Count(f => f.Action == HygieneAction.Disabled), problems.Count);
    }

    private async Task<HygieneAction> AutoDisableAsync(ITokenTarget target, TokenFacts token, DateTimeOffset idleSince, string correlationId, CancellationToken cancellationToken)
    {
        var result = await target.DisableAsync(token.Address, cancellationToken).ConfigureAwait(false);
        var outcome = result.IsOk ? "Disabled" : result.Status.ToString();
        await audit.RecordAsync(
            new RotationAuditEntry
            {
                Source = Source,
                CorrelationId = correlationId,
                Action = "hygiene-disable",
                Outcome = outcome,
                TokenId = token.Id,
                Target = target.Name,
                Detail = result.IsOk ? $"unused since {idleSince:O}" : result.Error?.ToString(),
            },
            cancellationToken).ConfigureAwait(false);
        return result.IsOk ? HygieneAction.Disabled : HygieneAction.DisableFailed;
    }

    /// <summary>
    /// For an account that names tokens with ids of its own: the account's id of every platform token this app must not
    /// auto-disable (one search each). Incomplete when one cannot be looked up; then no server-form token is auto-disabled.
    /// </summary>
    private static async Task<ServerIdMap> ServerIdsAsync(ITokenTarget target, IEnumerable<string> ids, List<string> errors, CancellationToken cancellationToken)
    {
        var map = new ServerIdMap();
        foreach (var text in ids.Distinct(StringComparer.Ordinal))
        {
            if (!TokenId.TryParse(text, out var id) || id.Kind != TokenKind.PlatformToken)
            {
                continue;
            }

            var facts = await target.GetAsync(id, cancellationToken).ConfigureAwait(false);
            if (facts.IsOk)
            {
                map.ById[facts.Value!.ServerId ?? id.Value] = id.Value;
            }
            else if (facts.Status != DynatraceStatus.NotFound)
            {
                map.Complete = false;
            }
        }

        if (!map.Complete)
        {
            errors.Add($"{target.Name}: tokens listed under the account's own ids are not auto-disabled this run: a protected or managed token could not be looked up there");
        }

        return map;
    }

    private sealed record KnownTokens(IReadOnlyList<CredentialProblem> Problems, HashSet<string> Managed, HashSet<string> Untouchable);

    /// <summary>What every token of one run is judged against.</summary>
    private sealed record HygieneRun(string CorrelationId, DateTimeOffset Now, bool AutoDisable, HashSet<string> Managed, HashSet<string> Untouchable);

    private sealed class ServerIdMap
    {
        public Dictionary<string, string> ById { get; } = new(StringComparer.Ordinal);

        public bool Complete { get; set; } = true;

        /// <summary>Whether the token listed as <paramref name="serverId"/> is one of <paramref name="ids"/>.</summary>
        public bool Managed(string serverId, IReadOnlySet<string> ids) => ById.TryGetValue(serverId, out var id) && ids.Contains(id);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Hygiene finding {Issue}: {TokenId} in {Target}, owner {Owner}, last used {LastUsedDate}, managed {Managed}, action {Action}")]
    private partial void LogFinding(HygieneIssue issue, string tokenId, string target, string? owner, DateTimeOffset? lastUsedDate, bool managed, HygieneAction action);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hygiene run: {NeverExpire} never expire, {Unused} unused, {DisabledNotDeleted} disabled but not deleted, {AutoDisabled} auto-disabled, {Problems} misconfigured managed credentials")]
    private partial void LogRun(int neverExpire, int unused, int disabledNotDeleted, int autoDisabled, int problems);
}
