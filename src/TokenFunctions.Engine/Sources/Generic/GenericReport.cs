using TokenFunctions.Engine.Sources.Pipeline;

namespace TokenFunctions.Engine.Sources.Generic;

/// <summary>A generic scanner report: its leaks and how many entries were neither tokens nor token ids.</summary>
public sealed record GenericReport : WebhookReport
{
    public int Ignored { get; init; }
}
