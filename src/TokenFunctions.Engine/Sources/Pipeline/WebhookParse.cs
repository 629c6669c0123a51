using TokenFunctions.Engine.Sources.Http;

namespace TokenFunctions.Engine.Sources.Pipeline;

/// <summary>An authentic body read: a report to act on, or the answer to send now (ignored, pong, a 400 that says why).</summary>
public readonly record struct WebhookParse(WebhookReport? Report, WebhookResult? Answer)
{
    public static implicit operator WebhookParse(WebhookReport report) => new(report, null);

    public static implicit operator WebhookParse(WebhookResult answer) => new(null, answer);
}
