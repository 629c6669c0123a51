namespace TokenFunctions.Engine.Notifications;

/// <summary>Channel names: the <c>channel</c> metric tag and the suffix of each named HttpClient.</summary>
public static class NotificationChannels
{
    public const string Teams = "teams";
    public const string Slack = "slack";
    public const string Generic = "generic";

    /// <summary>Not a destination: the in-process queue, when it is full or the host stops with incidents unsent.</summary>
    public const string Queue = "queue";

    public static string HttpClientName(string channel) => "TokenFunctions.Notifications." + channel;
}
