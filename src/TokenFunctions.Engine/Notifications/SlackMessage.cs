namespace TokenFunctions.Engine.Notifications;

/// <summary>A Slack incoming-webhook message: <see cref="Text"/> is the fallback for notifications, blocks the layout.</summary>
public sealed record SlackMessage(string Text, IReadOnlyList<SlackBlock> Blocks);

/// <summary><c>header</c>, <c>section</c> (text or fields), <c>context</c> or <c>divider</c>; unused members are left out.</summary>
public sealed record SlackBlock(string Type)
{
    public SlackText? Text { get; init; }

    public IReadOnlyList<SlackText>? Fields { get; init; }

    public IReadOnlyList<SlackText>? Elements { get; init; }
}

/// <summary><c>plain_text</c> or <c>mrkdwn</c>.</summary>
public sealed record SlackText(string Type, string Text)
{
    public static SlackText Plain(string text) => new("plain_text", text);

    public static SlackText Markdown(string text) => new("mrkdwn", text);
}
