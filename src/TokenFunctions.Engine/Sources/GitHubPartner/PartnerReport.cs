using TokenFunctions.Engine.Sources.Pipeline;

namespace TokenFunctions.Engine.Sources.GitHubPartner;

/// <summary>A partner report: its leaks and the feedback labels the answer carries (computed from shapes only).</summary>
public sealed record PartnerReport : WebhookReport
{
    public required List<PartnerFeedbackLabel> Labels { get; init; }
}
