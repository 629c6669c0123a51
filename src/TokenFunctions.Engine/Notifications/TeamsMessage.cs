using System.Text.Json.Serialization;

namespace TokenFunctions.Engine.Notifications;

/// <summary>
/// A Teams webhook message carrying one Adaptive Card: the shape both Teams Workflows webhooks and the older incoming
/// webhooks accept (the legacy MessageCard format is not accepted by Workflows).
/// </summary>
public sealed record TeamsMessage(IReadOnlyList<TeamsAttachment> Attachments)
{
    public string Type { get; init; } = "message";
}

public sealed record TeamsAttachment(AdaptiveCard Content)
{
    public string ContentType { get; init; } = "application/vnd.microsoft.card.adaptive";
}

public sealed record AdaptiveCard(IReadOnlyList<AdaptiveElement> Body)
{
    [JsonPropertyName("$schema")]
    public string Schema { get; init; } = "http://adaptivecards.io/schemas/adaptive-card.json";

    public string Type { get; init; } = "AdaptiveCard";

    public string Version { get; init; } = "1.4";

    [JsonPropertyName("msteams")]
    public AdaptiveTeamsOptions MsTeams { get; init; } = new();
}

public sealed record AdaptiveTeamsOptions
{
    public string Width { get; init; } = "Full";
}

/// <summary>A <c>TextBlock</c> or a <c>FactSet</c>; unused members are left out of the JSON.</summary>
public sealed record AdaptiveElement(string Type)
{
    public string? Text { get; init; }

    public bool? Wrap { get; init; }

    public string? Weight { get; init; }

    public string? Size { get; init; }

    public string? Color { get; init; }

    public bool? IsSubtle { get; init; }

    public string? Spacing { get; init; }

    public IReadOnlyList<AdaptiveFact>? Facts { get; init; }

    public static AdaptiveElement TextBlock(string text) => new("TextBlock") { Text = text, Wrap = true };

    public static AdaptiveElement FactSet(IReadOnlyList<AdaptiveFact> facts) => new("FactSet") { Facts = facts };
}

public sealed record AdaptiveFact(string Title, string Value);
