namespace TokenFunctions.Engine.Sources.Response;

/// <summary>
/// What trusted callers (GitHub alerts, GitGuardian, the generic webhook) are told: counts and token ids, never secrets.
/// </summary>
public sealed record OutcomeSummary
{
    /// <summary><c>accepted</c>, <c>ignored</c>, <c>duplicate</c> or <c>pong</c>.</summary>
    public required string Status { get; init; }

    public string? CorrelationId { get; init; }

    /// <summary>Why an event was ignored (<c>action</c>, <c>secret_type</c>, <c>event</c>, …).</summary>
    public string? Detail { get; init; }

    public int Disabled { get; init; }

    public int AlreadyDisabled { get; init; }

    public int WouldDisable { get; init; }

    public int Queued { get; init; }

    public int NeedsHuman { get; init; }

    /// <summary>Reported values that are not Dynatrace tokens or ids.</summary>
    public int Ignored { get; init; }

    public IReadOnlyList<TokenSummary> Tokens { get; init; } = [];

    public static OutcomeSummary From(string correlationId, ResponseOutcome outcome, int ignored = 0, int extraNeedsHuman = 0)
    {
        var queued = outcome.Queued.ToHashSet();
        var tokens = new List<TokenSummary>();
        foreach (var o in outcome.Outcomes)
        {
            if (!queued.Contains(o.TokenId))
            {
                tokens.Add(new TokenSummary(o.TokenId.Value, o.Outcome.ToString()));
            }
        }

        tokens.AddRange(outcome.Queued.Select(id => new TokenSummary(id.Value, "Queued")));
        return new OutcomeSummary
        {
            Status = "accepted",
            CorrelationId = correlationId,
            Disabled = outcome.Outcomes.Count(o => o.Outcome == Kill.TokenOutcomeKind.Disabled),
            AlreadyDisabled = outcome.Outcomes.Count(o => o.Outcome == Kill.TokenOutcomeKind.AlreadyDisabled),
            WouldDisable = outcome.Outcomes.Count(o => o.Outcome == Kill.TokenOutcomeKind.WouldDisable),
            Queued = outcome.Queued.Count,
            NeedsHuman = outcome.NeedsHuman + extraNeedsHuman,
            Ignored = ignored,
            Tokens = tokens,
        };
    }

    public static OutcomeSummary Of(string status, string? correlationId, string? detail = null) =>
        new() { Status = status, CorrelationId = correlationId, Detail = detail };
}

public sealed record TokenSummary(string TokenId, string Outcome);
