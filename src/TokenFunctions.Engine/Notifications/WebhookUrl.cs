namespace TokenFunctions.Engine.Notifications;

/// <summary>Webhook URLs are bearer secrets (the path is the credential), so logs show only scheme and host.</summary>
public static class WebhookUrl
{
    public static string Describe(Uri? url) =>
        url is null ? "(not configured)" : url.IsAbsoluteUri ? $"{url.Scheme}://{url.Host}/…" : "(invalid)";
}
