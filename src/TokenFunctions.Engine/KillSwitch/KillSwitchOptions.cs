namespace TokenFunctions.Engine.KillSwitch;

/// <summary>Engine settings, bound from configuration section <c>KillSwitch</c>.</summary>
public sealed class KillSwitchOptions
{
    public const string SectionName = "KillSwitch";

    /// <summary>Global dry run: decide and audit, call no write endpoint.</summary>
    public bool DryRun { get; set; }

    /// <summary>Sources (by name) that run dry even when the global switch is off.</summary>
    public IList<string> DryRunSources { get; set; } = [];

    /// <summary>Token ids that are never disabled automatically.</summary>
    public IList<string> ProtectedTokenIds { get; set; } = [];

    /// <summary>Concurrent Dynatrace calls per environment or account during a batch.</summary>
    public int MaxConcurrencyPerEnvironment { get; set; } = 8;
}
