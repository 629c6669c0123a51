namespace TokenFunctions.Engine.Notifications;

/// <summary>How one channel's delivery ended, after its retries. <see cref="Reason"/> is a short code, never a URL.</summary>
public sealed record NotificationResult(bool Delivered, string? Reason = null)
{
    public static readonly NotificationResult Sent = new(true);

    public static NotificationResult Failed(string reason) => new(false, reason);
}
