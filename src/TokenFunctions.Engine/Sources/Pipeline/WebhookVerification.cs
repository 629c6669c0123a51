using TokenFunctions.Engine.Sources.Http;
using TokenFunctions.Engine.Sources.Ledger;

namespace TokenFunctions.Engine.Sources.Pipeline;

/// <summary>
/// A request whose signature verified over its raw bytes, with the claims verification already took (the replay guard of
/// the timestamped schemes), or the answer to send instead.
/// </summary>
public readonly record struct WebhookVerification(ReadOnlyMemory<byte> Body, LedgerClaim? Claim, WebhookResult? Rejection)
{
    public static WebhookVerification Verified(ReadOnlyMemory<byte> body, LedgerClaim? claim = null) => new(body, claim, null);

    public static WebhookVerification Rejected(WebhookResult rejection) => new(default, null, rejection);
}
