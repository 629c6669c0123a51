namespace TokenFunctions.Engine.Sources.Http;

/// <summary>The raw body and the source's secret, or the rejection to send instead (then both are empty).</summary>
public readonly record struct SecretIntakeResult(ReadOnlyMemory<byte> Body, WebhookSecret? Secret, WebhookResult? Rejection)
{
    public static SecretIntakeResult Rejected(WebhookResult rejection) => new(default, null, rejection);

    /// <summary>The secret of an accepted intake; only read after <see cref="Rejection"/> was found null.</summary>
    public WebhookSecret AcceptedSecret => Secret ?? throw new InvalidOperationException("The intake was rejected; it has no secret.");
}
