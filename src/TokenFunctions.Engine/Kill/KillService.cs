using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Dynatrace.Targets;
using TokenFunctions.Engine.Telemetry;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Kill;

/// <summary>
/// Disables leaked tokens wherever they live. Per distinct classic token: find the owner (every environment at once, the
/// hinted one first), read its state, then decide — Protected, AlreadyDisabled, WouldDisable (dry run) or one write call.
/// A platform token's id is enough to address it, so its status write goes to every account at once and is the search
/// itself (one round trip); only a protected token or a dry run is looked up by listing. Every decision is audited,
/// counted and logged. Calls to one
/// environment or account are bounded by <see cref="KillOptions.MaxConcurrencyPerEnvironment"/>. A token whose work
/// the caller's deadline or cancellation cut is <see cref="TokenOutcomeKind.Interrupted"/> (retryable, and told apart from a
/// Dynatrace failure in the audit trail and the alerts). After a disable, a managed credential is replaced through
/// <see cref="ILeakRotation"/>, unless the caller defers that to the incident queue
/// (<see cref="KillRequest.DeferLeakRotation"/>) or Key Vault is unavailable: then the outcome says
/// <see cref="TokenOutcome.LeakRotationPending"/>.
/// </summary>
public sealed partial class KillService : IKillService
{
    public const string DisableAction = "disable";
    public const string EnableAction = "enable";
    public const string RotateAction = "rotate";

    /// <summary>The audit and metric source of <see cref="EnableAsync"/>, which is always a human's request.</summary>
    public const string EnableSource = "manual-enable";

    private readonly IDynatraceDirectory _directory;
    private readonly IOptionsMonitor<KillOptions> _options;
    private readonly TokenFunctionsMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<KillService> _logger;
    private readonly ILeakRotation? _rotation;
    private readonly UsageEvidenceQueue? _evidence;
    private readonly KillAudit _audit;
    private readonly TargetSearch _search;
    private readonly ProtectedTokens _protected;

    public KillService(
        IDynatraceDirectory directory,
        KillAudit audit,
        IOptionsMonitor<KillOptions> options,
        TokenFunctionsMetrics metrics,
        TimeProvider time,
        ILogger<KillService> logger,
        ProtectedTokens protectedTokens,
        TargetSearch search,
        ILeakRotation? rotation = null,
        UsageEvidenceQueue? evidence = null)
    {
        _directory = directory;
        _audit = audit;
        _options = options;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _protected = protectedTokens;
        _search = search;
        _rotation = rotation;
        _evidence = evidence;
    }

    public async Task<KillResult> DisableAsync(KillRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = _options.CurrentValue;
        var work = Plan(request, options);
        if (work.Count == 0)
        {
            return new KillResult([]);
        }

        var outcomes = new TokenOutcome?[work.Count];
        var audit = _audit.StartBuffer();
        try
        {
            await ProcessAsync(work, outcomes, options, audit, request.DeferLeakRotation, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller's deadline passed: what was decided stands, the rest is reported as interrupted below.
        }
        finally
        {
            foreach (var item in work.Where(w => outcomes[w.Index] is null))
            {
                var unfinished = Outcome(item, TokenOutcomeKind.Interrupted, InterruptedDetail);
                outcomes[item.Index] = unfinished;
                await audit.AddAsync(Record(DisableAction, unfinished, item.Leak.Source, item.Leak.CorrelationId, item.Leak.RequestedBy, item.DryRun, null)).ConfigureAwait(false);
                Report(DisableAction, unfinished, item.Leak.Source, item.Leak.CorrelationId, item.DryRun, detectedAt: null);
            }

            await audit.FlushAsync().ConfigureAwait(false);
        }

        return new KillResult(outcomes!);
    }

    private async Task ProcessAsync(List<KillItem> work, TokenOutcome?[] outcomes, KillOptions options, KillAuditBuffer audit, bool deferRotation, CancellationToken cancellationToken)
    {
        var protectedIds = await _protected.GetAsync(cancellationToken).ConfigureAwait(false);
        var targets = new KillTargets(_directory);
        var classic = work.Count(w => w.Id.Kind == TokenKind.ClassicApiToken);
        if (options.InventoryThreshold > 0 && classic >= options.InventoryThreshold && _directory.Environments.Count > 0)
        {
            targets.Inventory = await ClassicInventory.LoadAsync(targets.For(TokenKind.ClassicApiToken), _search, _logger, cancellationToken).ConfigureAwait(false);
        }

        if (work.Count == 1)
        {
            outcomes[0] = await DisableOneAsync(work[0], protectedIds, targets, audit, deferRotation, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Enough tokens in flight to keep every environment's gate busy; the gates themselves enforce the bound.
        var gates = Math.Max(1, _directory.Environments.Count + _directory.Accounts.Count);
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = Math.Clamp(Math.Max(1, options.MaxConcurrencyPerEnvironment) * gates, 1, work.Count),
            CancellationToken = cancellationToken,
        };
        await Parallel.ForEachAsync(work, parallel, async (item, ct) =>
            outcomes[item.Index] = await DisableOneAsync(item, protectedIds, targets, audit, deferRotation, ct).ConfigureAwait(false)).ConfigureAwait(false);
    }

    public async Task<TokenOutcome> EnableAsync(TokenId tokenId, string? ownerHint, string correlationId, string requestedBy, string reason, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var dryRun = _options.CurrentValue.DryRun;
        TokenOutcome outcome;
        try
        {
            outcome = tokenId.Kind switch
            {
                TokenKind.ClassicApiToken or TokenKind.PlatformToken => await EnableTokenAsync(tokenId, ownerHint, dryRun, cancellationToken).ConfigureAwait(false),
                _ => Outcome(tokenId, null, TokenOutcomeKind.Unsupported, UnsupportedTokens.Guidance(tokenId)),
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var safe = Redaction.RedactException(ex);
            KillLog.Unexpected(_logger, tokenId, safe);
            outcome = Outcome(tokenId, null, TokenOutcomeKind.Failed, $"Unexpected error: {safe.Message}");
        }
        catch (OperationCanceledException)
        {
            outcome = Outcome(tokenId, null, TokenOutcomeKind.Interrupted, InterruptedDetail);
        }

        outcome = Interrupted(outcome, cancellationToken) with { Latency = _time.GetElapsedTime(started) };
        var record = Record(EnableAction, outcome, EnableSource, correlationId, requestedBy, dryRun, $"Requested by {requestedBy}: {reason}.");
        await _audit.WriteAsync([record]).ConfigureAwait(false);
        Report(EnableAction, outcome, EnableSource, correlationId, dryRun, detectedAt: null);
        return outcome;
    }

    private List<KillItem> Plan(KillRequest request, KillOptions options)
    {
        var items = new List<KillItem>(request.Leaks.Count);
        var byKey = new Dictionary<string, KillItem>(StringComparer.Ordinal);
        foreach (var leak in request.Leaks)
        {
            var secret = leak.Secret;
            if (secret is not null && secret.Id != leak.TokenId)
            {
                // Never send one token's secret to Dynatrace on behalf of another id.
                KillLog.MismatchedSecret(_logger, leak.TokenId, secret.Id);
                secret = null;
            }

            var dryRun = request.DryRun || options.DryRun || options.DryRunSources.Contains(leak.Source, StringComparer.OrdinalIgnoreCase);
            var idKey = "id:" + leak.TokenId.Value;
            var fingerprintKey = secret is null ? null : "sha256:" + secret.Fingerprint;
            if (byKey.TryGetValue(idKey, out var existing) || (fingerprintKey is not null && byKey.TryGetValue(fingerprintKey, out existing)))
            {
                existing.Merge(secret, dryRun);
                if (fingerprintKey is not null)
                {
                    byKey.TryAdd(fingerprintKey, existing);
                }

                continue;
            }

            var item = new KillItem(items.Count, leak, secret, dryRun);
            items.Add(item);
            byKey[idKey] = item;
            if (fingerprintKey is not null)
            {
                byKey[fingerprintKey] = item;
            }
        }

        return items;
    }

    private async Task<TokenOutcome> DisableOneAsync(
        KillItem item,
        IReadOnlyDictionary<string, string> protectedIds,
        KillTargets targets,
        KillAuditBuffer audit,
        bool deferRotation,
        CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        TokenOutcome outcome;
        try
        {
            protectedIds.TryGetValue(item.Id.Value, out var protectedBecause);
            outcome = item.Id.Kind switch
            {
                TokenKind.ClassicApiToken or TokenKind.PlatformToken => await DisableTokenAsync(item, protectedBecause, targets, cancellationToken).ConfigureAwait(false),
                TokenKind.OAuthClientSecret when OwnOAuthClientSteps(item.Id) is { } steps => Outcome(item, TokenOutcomeKind.CannotDisableOwnCredential, steps),
                _ when protectedBecause is not null => Outcome(item, TokenOutcomeKind.Protected, ProtectedDetail(protectedBecause, null)),
                _ => Outcome(item, TokenOutcomeKind.Unsupported, UnsupportedTokens.Guidance(item.Id)),
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var safe = Redaction.RedactException(ex);
            KillLog.Unexpected(_logger, item.Id, safe);
            outcome = Outcome(item, TokenOutcomeKind.Failed, $"Unexpected error: {safe.Message}");
        }

        outcome = Interrupted(outcome, cancellationToken) with { Latency = _time.GetElapsedTime(started) };
        var leak = item.Leak;
        var context = $"Reason: {leak.Reason}." + (leak.Location is null ? string.Empty : $" Location: {leak.Location}.")
            + (item.Reports > 1 ? $" Reported {item.Reports} times in this batch; acted on once." : string.Empty);
        await audit.AddAsync(Record(DisableAction, outcome, leak.Source, leak.CorrelationId, leak.RequestedBy, item.DryRun, context)).ConfigureAwait(false);
        Report(DisableAction, outcome, leak.Source, leak.CorrelationId, item.DryRun, leak.DetectedAt);
        if (!item.DryRun && outcome.Outcome is TokenOutcomeKind.Disabled or TokenOutcomeKind.AlreadyDisabled)
        {
            // Was it used after the leak? Gathered in the background: never before, and never delaying, a disable.
            _evidence?.Enqueue(outcome, leak.CorrelationId, leak.Source, leak.DetectedAt);
        }

        if (_rotation is not null && !item.DryRun && outcome.Outcome is TokenOutcomeKind.Disabled or TokenOutcomeKind.AlreadyDisabled)
        {
            outcome = deferRotation
                ? outcome with { LeakRotationPending = true }
                : await ReplaceAsync(outcome, item, audit, cancellationToken).ConfigureAwait(false);
        }

        return outcome;
    }

    private const string InterruptedDetail = "Interrupted by the caller's deadline or cancellation before it finished; retry (acting again is safe).";

    /// <summary>
    /// A failure that came with the caller's cancellation (the clients turn a cancelled request into a transient result)
    /// is the interruption, not Dynatrace: it is retried like one but audited and alerted on apart from real failures.
    /// </summary>
    private static TokenOutcome Interrupted(TokenOutcome outcome, CancellationToken cancellationToken) =>
        outcome.Outcome == TokenOutcomeKind.Failed && cancellationToken.IsCancellationRequested
            ? outcome with { Outcome = TokenOutcomeKind.Interrupted, Detail = Redaction.Redact($"{InterruptedDetail} {outcome.Detail}") }
            : outcome;

    private async Task<TokenOutcome> ReplaceAsync(TokenOutcome disabled, KillItem item, KillAuditBuffer audit, CancellationToken cancellationToken)
    {
        var leak = item.Leak;
        LeakReplacement? replacement;
        try
        {
            replacement = await _rotation!.ReplaceLeakedAsync(disabled, leak.CorrelationId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The token stays disabled whatever happens here; the failure is audited for a human or a later retry.
            var safe = Redaction.RedactException(ex);
            KillLog.RotationFailed(_logger, item.Id, safe);
            var failed = disabled with { Detail = $"Replacing the disabled credential failed: {safe.Message}" };
            await audit.AddAsync(Record(RotateAction, failed, leak.Source, leak.CorrelationId, leak.RequestedBy, dryRun: false, null, outcomeName: "Failed")).ConfigureAwait(false);
            return disabled;
        }

        if (replacement is null)
        {
            return disabled;
        }

        if (replacement.IsPostponed)
        {
            // Audited as postponed by the rotation; the caller hands the replacement to the queue when it can.
            return disabled with { LeakRotationPending = true };
        }

        disabled = disabled with
        {
            NotifyContact = replacement.Notify,
            ReplacementProblem = replacement.Problem,
            Detail = replacement.Problem is null ? disabled.Detail : Redaction.Redact($"{disabled.Detail} No replacement could be made: {replacement.Problem}"),
        };
        if (replacement.Location is not { } location)
        {
            return disabled;
        }

        KillLog.Rotated(_logger, item.Id, location);
        var replaced = disabled with { ReplacementLocation = location };
        await audit.AddAsync(Record(RotateAction, replaced with { Detail = $"Replacement stored at {location}." }, leak.Source, leak.CorrelationId, leak.RequestedBy, dryRun: false, null, outcomeName: "Replaced")).ConfigureAwait(false);
        return replaced;
    }

    private AuditRecord Record(string action, TokenOutcome outcome, string source, string correlationId, string? requestedBy, bool dryRun, string? context, string? outcomeName = null) => new()
    {
        Timestamp = _time.GetUtcNow(),
        Source = source,
        CorrelationId = correlationId,
        Action = action,
        Outcome = outcomeName ?? outcome.Outcome.ToString(),
        TokenId = outcome.TokenId,
        TokenKind = outcome.Kind,
        Fingerprint = outcome.Fingerprint,
        Owner = outcome.Owner,
        Latency = outcome.Latency,
        RequestedBy = requestedBy,
        DryRun = dryRun,
        Detail = Redaction.Redact(context is null ? outcome.Detail : $"{outcome.Detail} {context}".Trim()),
        BlastRadius = BlastRadiusOf(outcome),
    };

    private void Report(string action, TokenOutcome outcome, string source, string correlationId, bool dryRun, DateTimeOffset? detectedAt)
    {
        _metrics.TokenOutcome(source, outcome.Outcome.ToString());
        if (outcome.Outcome == TokenOutcomeKind.Disabled && detectedAt is { } detected)
        {
            var elapsed = _time.GetUtcNow() - detected;
            _metrics.AlertToDisabled(elapsed < TimeSpan.Zero ? TimeSpan.Zero : elapsed, source);
        }

        KillLog.Decided(
            _logger,
            outcome.IsSuccess ? LogLevel.Information : LogLevel.Warning,
            action,
            outcome.TokenId,
            outcome.Outcome,
            outcome.Owner,
            outcome.Fingerprint,
            (long)outcome.Latency.TotalMilliseconds,
            source,
            correlationId,
            dryRun,
            outcome.Detail);
    }

    private static BlastRadius? BlastRadiusOf(TokenOutcome outcome) =>
        outcome.Facts is { } facts ? new BlastRadius(facts.Owner, facts.Scopes, facts.LastUsedDate, facts.LastUsedIpAddress, facts.Name) : null;

    private static string ProtectedDetail(string because, string? more) =>
        $"Protected ({because}): never disabled automatically; a human must decide." + (more is null ? string.Empty : " " + more);

    private static TokenOutcome Outcome(KillItem item, TokenOutcomeKind kind, string? detail, ITokenTarget? target = null, TokenFacts? facts = null) =>
        Outcome(item.Id, item.Fingerprint, kind, detail, target, facts);

    private static TokenOutcome Outcome(TokenId id, string? fingerprint, TokenOutcomeKind kind, string? detail, ITokenTarget? target = null, TokenFacts? facts = null) => new()
    {
        TokenId = id,
        Fingerprint = fingerprint,
        Outcome = kind,
        Owner = target?.Name,
        Detail = Redaction.Redact(detail),
        Facts = facts,
    };

    /// <summary>No owner was found: the search's verdict, with what Dynatrace answered behind it.</summary>
    private static TokenOutcome Missed<TInfo>(TokenId id, string? fingerprint, TargetMatch<TInfo> match) =>
        Outcome(id, fingerprint, match.Failure, match.Detail) with { Cause = match.Cause };
}
