namespace TokenFunctions.Engine.Sources.Generic;

/// <summary>The generic signed webhook for any scanner, bound from <c>Sources:Generic</c>.</summary>
public sealed class GenericWebhookOptions
{
    public const string SectionName = "Sources:Generic";

    public TimeSpan TimestampWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Upper bound on entries in <c>tokens</c>.</summary>
    public int MaxTokens { get; set; } = 1000;
}
