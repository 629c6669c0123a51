using TokenFunctions.Engine.Sources.Deliveries;

namespace TokenFunctions.Engine.Sources.Http;

/// <summary>The replay claim of a verified timestamped delivery, or the rejection to send instead.</summary>
public readonly record struct ReplayClaimResult(DeliveryClaim? Claim, WebhookResult? Rejection)
{
    public static ReplayClaimResult Rejected(WebhookResult rejection) => new(null, rejection);

    /// <summary>The claim of an accepted delivery; only read after <see cref="Rejection"/> was found null.</summary>
    public DeliveryClaim AcceptedClaim => Claim ?? throw new InvalidOperationException("The delivery was rejected; it has no replay claim.");
}
