namespace TokenFunctions.Engine.Sources.GitGuardian;

/// <summary>GitGuardian custom webhook, bound from <c>Sources:GitGuardian</c>.</summary>
public sealed class GitGuardianOptions
{
    public const string SectionName = "Sources:GitGuardian";

    public static readonly IReadOnlyList<string> DefaultActions =
        ["incident_triggered", "new_occurrence", "incident_reopened", "incident_regression", "incident_validity_changed"];

    public static readonly IReadOnlyList<string> DefaultDetectors = ["dynatrace"];

    /// <summary>Requests whose <c>Timestamp</c> differs from now by more than this are dropped.</summary>
    public TimeSpan TimestampWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Actions that trigger a lookup. Empty means <see cref="DefaultActions"/>.</summary>
    public IList<string> Actions { get; set; } = [];

    /// <summary>Substrings of <c>incident.detector.name</c> (case-insensitive) that mean a Dynatrace token. Empty means <see cref="DefaultDetectors"/>.</summary>
    public IList<string> DetectorNames { get; set; } = [];

    internal IReadOnlyList<string> EffectiveActions => Actions.Count > 0 ? [.. Actions] : DefaultActions;

    internal IReadOnlyList<string> EffectiveDetectors => DetectorNames.Count > 0 ? [.. DetectorNames] : DefaultDetectors;
}
