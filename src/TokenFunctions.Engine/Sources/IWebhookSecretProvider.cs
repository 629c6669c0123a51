namespace TokenFunctions.Engine.Sources;

/// <summary>
/// Webhook secrets and source API credentials (not Dynatrace tokens). In Azure they are Key Vault references in app
/// settings, which the platform resolves into configuration; tests supply them in memory.
/// </summary>
public interface IWebhookSecretProvider
{
    /// <summary>The secret named e.g. <c>GitHub:WebhookSecret</c> (see <see cref="WebhookSecretNames"/>), or null when not configured.</summary>
    ValueTask<WebhookSecret?> GetAsync(string name, CancellationToken cancellationToken);
}
