using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;
using TokenFunctions.Engine.Sources.Http;

namespace TokenFunctions.Engine.Sources.Pipeline;

/// <summary>The leaks of a claimed report, or the answer to send instead (the alert's secret was unavailable, nothing matched).</summary>
public readonly record struct WebhookLeaks(IReadOnlyList<Leak>? Leaks, WebhookResult? Answer)
{
    public static implicit operator WebhookLeaks(List<Leak> leaks) => new(leaks, null);

    public static implicit operator WebhookLeaks(WebhookResult answer) => new(null, answer);
}
