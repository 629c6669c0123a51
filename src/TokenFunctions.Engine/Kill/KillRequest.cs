using TokenFunctions.Engine.Leaks;

namespace TokenFunctions.Engine.Kill;

/// <summary>A batch of leaks to act on, with per-request overrides.</summary>
public sealed record KillRequest(IReadOnlyList<Leak> Leaks)
{
    /// <summary>Dry run for this request only (ORed with the configured switches).</summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// Do not replace a disabled managed credential here: mark its outcome <see cref="TokenOutcome.LeakRotationPending"/>
    /// and let the caller hand the rotation to the incident queue. The webhooks set it, so no Key Vault call runs between
    /// a disable and its answer.
    /// </summary>
    public bool DeferLeakRotation { get; init; }
}

public sealed record KillResult(IReadOnlyList<TokenOutcome> Outcomes);
