using TokenFunctions.Engine.Sources.Deliveries;
using TokenFunctions.Engine.Sources.Http;

namespace TokenFunctions.Engine.Sources.Pipeline;

/// <summary>
/// A request whose signature verified over its raw bytes, with the claims verification already took (the replay guard of
/// the timestamped schemes), or the answer to send instead.
/// </summary>
public readonly record struct WebhookVerification(ReadOnlyMemory<byte> Body, DeliveryClaim? Claim, WebhookResult? Rejection)
{
    public static WebhookVerification Verified(ReadOnlyMemory<byte> body, DeliveryClaim? claim = null) => new(body, claim, null);

    public static WebhookVerification Rejected(WebhookResult rejection) => new(default, null, rejection);
}
