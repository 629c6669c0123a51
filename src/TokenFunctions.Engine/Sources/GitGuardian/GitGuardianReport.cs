using TokenFunctions.Engine.Sources.Pipeline;

namespace TokenFunctions.Engine.Sources.GitGuardian;

/// <summary>A GitGuardian incident about a Dynatrace token: its hashes are matched against the managed credentials.</summary>
public sealed record GitGuardianReport : WebhookReport
{
    public required GitGuardianIncident Incident { get; init; }

    public required string Detector { get; init; }
}
