using System.Diagnostics.Metrics;

namespace TokenFunctions.Engine.Telemetry;

/// <summary>
/// The app's OpenTelemetry metrics (meter <c>TokenFunctions</c>). Every counter carries a reason code so a dashboard can
/// say why, not only how many. Tags never carry secrets or token ids: only sources, outcomes and reasons (low cardinality).
/// Every tag value passes <see cref="MetricTags.Sanitize"/>, so a caller that passes an id by mistake records <c>other</c>.
/// </summary>
public sealed class TokenFunctionsMetrics
{
    public const string MeterName = "TokenFunctions";

    private readonly Counter<long> _alertsReceived;
    private readonly Counter<long> _signatureFailures;
    private readonly Counter<long> _tokenOutcomes;
    private readonly Counter<long> _rotations;
    private readonly Counter<long> _deadLetters;
    private readonly Counter<long> _notificationFailures;
    private readonly Counter<long> _notificationsSent;
    private readonly Counter<long> _auditFailures;
    private readonly Histogram<double> _alertToDisabled;

    public TokenFunctionsMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _alertsReceived = meter.CreateCounter<long>("tokenfunctions.alerts.received", "{alert}", "Alerts accepted per source.");
        _signatureFailures = meter.CreateCounter<long>("tokenfunctions.signature.failures", "{request}", "Requests rejected before parsing, by source and reason.");
        _tokenOutcomes = meter.CreateCounter<long>("tokenfunctions.tokens.outcomes", "{token}", "Kill decisions by outcome and source.");
        _rotations = meter.CreateCounter<long>("tokenfunctions.rotations", "{rotation}", "Rotation steps by outcome.");
        _deadLetters = meter.CreateCounter<long>("tokenfunctions.deadletters", "{message}", "Incident messages dead-lettered, by reason.");
        _notificationFailures = meter.CreateCounter<long>("tokenfunctions.notifications.failures", "{notification}", "Notifications that failed after retries, by channel.");
        _notificationsSent = meter.CreateCounter<long>("tokenfunctions.notifications.sent", "{notification}", "Notifications delivered, by channel.");
        _auditFailures = meter.CreateCounter<long>("tokenfunctions.audit.failures", "{record}", "Audit records that could not be written.");
        _alertToDisabled = meter.CreateHistogram<double>(
            "tokenfunctions.alert_to_disabled.duration",
            "s",
            "Seconds from the source's detection time to the token being disabled.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600] });
    }

    public void AlertReceived(string source) => _alertsReceived.Add(1, Tag("source", source));

    public void SignatureFailure(string source, string reason) =>
        _signatureFailures.Add(1, Tag("source", source), Tag("reason", reason));

    public void TokenOutcome(string source, string outcome) =>
        _tokenOutcomes.Add(1, Tag("source", source), Tag("outcome", outcome));

    public void Rotation(string step, string outcome) => _rotations.Add(1, Tag("step", step), Tag("outcome", outcome));

    public void DeadLetter(string reason) => _deadLetters.Add(1, Tag("reason", reason));

    /// <summary><paramref name="channel"/> is one of <see cref="MetricTags.Channels"/>; anything else records <c>other</c>.</summary>
    public void NotificationFailure(string channel) =>
        _notificationFailures.Add(1, new KeyValuePair<string, object?>("channel", MetricTags.Channel(channel)));

    public void NotificationSent(string channel) =>
        _notificationsSent.Add(1, new KeyValuePair<string, object?>("channel", MetricTags.Channel(channel)));

    public void AuditFailure(string reason) => AuditFailure(reason, 1);

    /// <summary>Counts <paramref name="records"/> records that one failed write could not store.</summary>
    public void AuditFailure(string reason, int records)
    {
        if (records > 0)
        {
            _auditFailures.Add(records, Tag("reason", reason));
        }
    }

    public void AlertToDisabled(TimeSpan elapsed, string source) =>
        _alertToDisabled.Record(elapsed.TotalSeconds, Tag("source", source));

    private static KeyValuePair<string, object?> Tag(string key, string? value) => new(key, MetricTags.Sanitize(value));
}
