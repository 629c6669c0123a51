using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.KeyVault;
using TokenFunctions.Engine.Primitives;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Rotation.Jobs;

/// <summary>
/// The scheduled-rotation timer (<c>Rotation:Schedule</c>): rotates every managed credential that is older than its
/// rotation period, close to expiry, or whose current token Dynatrace no longer accepts, and finishes rotations a crash
/// interrupted. Missed runs are harmless (the next run sees the same ages); overlapping runs are harmless (each credential
/// is single-flight and each request names the token it expects to replace).
/// </summary>
public sealed partial class ScheduledRotationJob(
    IManagedCredentialCatalog catalog,
    IRotationStateStore store,
    IRotationService rotation,
    TokenTargets targets,
    RotationAudit audit,
    IOptions<RotationOptions> options,
    TimeProvider timeProvider,
    ILogger<ScheduledRotationJob> logger)
{
    public const string Source = "rotation-timer";

    private readonly RotationOptions _options = (options ?? throw new ArgumentNullException(nameof(options))).Value;

    public async Task<ScheduledRotationReport> RunAsync(CancellationToken cancellationToken)
    {
        var (runId, startedAt, correlationId) = JobRun.Start(Source, timeProvider);
        ManagedCredentialSnapshot snapshot;
        Dictionary<string, CredentialState> rows;
        try
        {
            snapshot = await catalog.GetSnapshotAsync(refresh: true, cancellationToken).ConfigureAwait(false);
            rows = (await store.ListAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(r => r.SecretName, StringComparer.OrdinalIgnoreCase);
        }
        catch (RequestFailedException e)
        {
            audit.Metric("schedule-run", "Failed");
            LogRunFailed(e.Status, Redaction.Redact(e.Message));
            return new ScheduledRotationReport(runId, startedAt, [], [], $"Key Vault or storage unavailable (HTTP {e.Status})");
        }

        var items = new List<ScheduledRotationItem>();
        var started = 0;
        foreach (var credential in snapshot.Credentials)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var item = await ConsiderAsync(credential, rows.GetValueOrDefault(credential.SecretName), correlationId, started, cancellationToken).ConfigureAwait(false);
            if (item.Decision is RotationDecision.Age or RotationDecision.NearExpiry or RotationDecision.CurrentUnusable)
            {
                started++;
            }

            audit.Metric("schedule", item.Decision.ToString());
            items.Add(item);
        }

        var nothingDue = items.All(i => i.Decision == RotationDecision.NotDue);
        audit.Metric("schedule-run", nothingDue ? nameof(RotationDecision.NotDue) : "Completed");
        var report = new ScheduledRotationReport(runId, startedAt, items, snapshot.Problems);
        LogRun(items.Count, report.Rotated, report.Failed, snapshot.Problems.Count);
        return report;
    }

    private async Task<ScheduledRotationItem> ConsiderAsync(
        ManagedCredential credential, CredentialState? row, string correlationId, int started, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        if (row?.Active is not null)
        {
            if (row.IsLeasedAt(now))
            {
                return new ScheduledRotationItem(credential.SecretName, credential.TokenId, RotationDecision.InProgress);
            }

            var resumed = await rotation.ResumeAsync(credential.SecretName, correlationId, Source, cancellationToken).ConfigureAwait(false);
            return new ScheduledRotationItem(credential.SecretName, credential.TokenId, RotationDecision.Interrupted, resumed);
        }

        if (credential.Kind == TokenKind.ClassicApiToken && row?.LastOutcome == nameof(RotationOutcome.CreationDisabled))
        {
            // Phase 3: the environment refuses classic creates for good. Asking again every run would only repeat the
            // refusal; the last error tells the operator to move the credential to a platform token.
            return new ScheduledRotationItem(credential.SecretName, credential.TokenId, RotationDecision.CreationDisabled, Detail: row.LastError);
        }

        var (decision, detail) = await DecideAsync(credential, now, cancellationToken).ConfigureAwait(false);
        if (decision == RotationDecision.NotDue)
        {
            return new ScheduledRotationItem(credential.SecretName, credential.TokenId, decision, Detail: detail);
        }

        if (started >= _options.MaxRotationsPerRun)
        {
            return new ScheduledRotationItem(credential.SecretName, credential.TokenId, RotationDecision.Deferred, Detail: detail);
        }

        var result = await rotation.RotateAsync(
            new RotationRequest
            {
                SecretName = credential.SecretName,
                Trigger = decision == RotationDecision.CurrentUnusable ? RotationTrigger.CurrentUnusable : RotationTrigger.Scheduled,
                CorrelationId = correlationId,
                Source = Source,
                ExpectedTokenId = credential.TokenId,
            },
            cancellationToken).ConfigureAwait(false);
        return new ScheduledRotationItem(credential.SecretName, credential.TokenId, decision, result, detail);
    }

    private async Task<(RotationDecision Decision, string? Detail)> DecideAsync(ManagedCredential credential, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (credential.CreatedOn is { } created && now - created >= credential.Policy.RotationPeriod)
        {
            return (RotationDecision.Age, $"current version written {created:O}, rotation period {Duration.FormatTag(credential.Policy.RotationPeriod)}");
        }

        if (credential.ExpiresOn is { } expires && expires - now <= _options.NearExpiryWindow)
        {
            return (RotationDecision.NearExpiry, $"Key Vault version expires {expires:O}");
        }

        if (!_options.CheckCurrentTokenStatus || targets.Resolve(credential.Target, credential.Kind, credential.SecretName).Target is not { } target)
        {
            return (RotationDecision.NotDue, null);
        }

        var facts = await target.GetAsync(credential.TokenId, cancellationToken).ConfigureAwait(false);
        if (facts.Status == DynatraceStatus.NotFound)
        {
            return (RotationDecision.CurrentUnusable, "Dynatrace does not know the current token");
        }

        if (facts.IsOk && facts.Value!.Enabled == false)
        {
            return (RotationDecision.CurrentUnusable, "Dynatrace reports the current token disabled");
        }

        if (facts.IsOk && facts.Value!.ExpirationDate is { } tokenExpires)
        {
            if (tokenExpires <= now)
            {
                return (RotationDecision.CurrentUnusable, $"the current token expired {tokenExpires:O}");
            }

            if (tokenExpires - now <= _options.NearExpiryWindow)
            {
                return (RotationDecision.NearExpiry, $"the current token expires {tokenExpires:O}");
            }
        }

        return (RotationDecision.NotDue, facts.IsOk ? null : $"status check skipped: {facts.Status}");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled rotation run: {Credentials} credentials, {Rotated} rotated, {Failed} failed, {Problems} misconfigured")]
    private partial void LogRun(int credentials, int rotated, int failed, int problems);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduled rotation run could not list credentials (HTTP {Status}): {Message}")]
    private partial void LogRunFailed(int status, string? message);
}
