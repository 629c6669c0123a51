using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Engine.Sources.Http;
using TokenFunctions.Engine.Sources.Response;

namespace TokenFunctions.Engine.Sources.Pipeline;

/// <summary>
/// One webhook source: only what differs between sources (how a request is verified, how its body reads, where its leaks
/// come from, what the sender is told). Deadline, claims, the response policy, follow-ups, status codes and settling
/// live once, in <see cref="WebhookPipeline"/>.
/// </summary>
/// <remarks>
/// Not generic on purpose: the pipeline runs on every request, and shared generic code over a report type costs dictionary
/// lookups on each virtual call of the hot path (verification and parsing). Sources cast the report they produced.
/// </remarks>
public abstract class WebhookSource(WebhookPipeline pipeline)
{
    /// <summary>The source name of leaks, audit records and metrics (<see cref="SourceNames"/>).</summary>
    public abstract string Name { get; }

    protected WebhookPipeline Pipeline => pipeline;

    /// <summary>Runs one request through the pipeline.</summary>
    public Task<IActionResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken) =>
        pipeline.RunAsync(this, request, cancellationToken);

    /// <summary>Method, content type, size, the source's secret and the signature over the raw bytes: nothing is parsed yet.</summary>
    protected internal abstract ValueTask<WebhookVerification> VerifyAsync(HttpRequest request, CancellationToken cancellationToken);

    /// <summary>Reads the authentic body: a report to act on, or the answer to send now.</summary>
    protected internal abstract WebhookParse Parse(HttpRequest request, ReadOnlyMemory<byte> body);

    /// <summary>The leaks of a claimed report (the one <see cref="Parse"/> produced); the default is those the body named.</summary>
    protected internal virtual ValueTask<WebhookLeaks> FindLeaksAsync(WebhookReport report, CancellationToken deadline) =>
        new(new WebhookLeaks(report.Leaks, null));

    /// <summary>The answer once the leaks are disabled or durably queued.</summary>
    protected internal abstract WebhookResult Answer(WebhookReport report, ResponseOutcome outcome);

    /// <summary>The answer to a delivery already handled.</summary>
    protected internal virtual WebhookResult Duplicate(WebhookReport report) => Summary(OutcomeSummary.Of("duplicate", report.CorrelationId));

    /// <summary>
    /// Housekeeping once the answer is decided (GitHub resolves its alert), within <paramref name="budget"/>: a message for
    /// the incident queue when it must finish there, or null when done or nothing to do.
    /// </summary>
    protected internal virtual ValueTask<IncidentMessage?> FollowUpAsync(WebhookReport report, LeakBatch batch, ResponseOutcome outcome, CancellationToken budget) =>
        ValueTask.FromResult<IncidentMessage?>(null);

    protected static WebhookResult Summary(OutcomeSummary summary, int status = 200) =>
        WebhookResult.Json(status, summary.Status, summary, SourcesJsonContext.Default.OutcomeSummary);
}
