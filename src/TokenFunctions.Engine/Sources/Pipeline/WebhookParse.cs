using TokenFunctions.Engine.Sources.Http;

namespace TokenFunctions.Engine.Sources.Pipeline;

/// <summary>An authentic body read: a report to act on, or the answer to send now (ignored, pong, a 400 that says why).</summary>
public readonly record struct WebhookParse<TReport>(TReport? Report, WebhookResult? Answer)
    where TReport : WebhookReport
{
    public static implicit operator WebhookParse<TReport>(TReport report) => new(report, null);

    public static implicit operator WebhookParse<TReport>(WebhookResult answer) => new(default, answer);
}
