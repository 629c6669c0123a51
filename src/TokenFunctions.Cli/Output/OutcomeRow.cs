using System.Text.Json.Serialization;
using TokenFunctions.Engine.Kill;

namespace TokenFunctions.Cli.Output;

/// <summary>One token's outcome as the CLI prints it: ids, fingerprint and the engine's typed outcome, never a secret.</summary>
public sealed record OutcomeRow(
    string TokenId,
    string Kind,
    string? Fingerprint,
    string Outcome,
    string? Owner,
    double LatencyMs,
    string? Detail,
    bool NeedsHuman,
    bool Retryable)
{
    public IReadOnlyList<string>? Locations { get; init; }

    /// <summary>What this outcome alone would make the exit code (<see cref="ExitCodes.Of(TokenOutcomeKind, OutcomeCause)"/>).</summary>
    [JsonIgnore]
    public int ExitCode { get; init; }

    public static OutcomeRow From(TokenOutcome outcome) => new(
        outcome.TokenId.Value,
        outcome.Kind.ToString(),
        outcome.Fingerprint,
        outcome.Outcome.ToString(),
        outcome.Owner,
        Math.Round(outcome.Latency.TotalMilliseconds, 1),
        outcome.Detail,
        outcome.NeedsHuman,
        outcome.IsRetryable)
    {
        ExitCode = ExitCodes.Of(outcome.Outcome, outcome.Cause),
    };
}
