namespace TokenFunctions.Engine.Rotation;

/// <summary>Rotation and its timers, bound from configuration section <c>Rotation</c>.</summary>
public sealed class RotationOptions
{
    public const string SectionName = "Rotation";

    /// <summary>
    /// Marks the tokens this deployment creates: names end in <c>[tf:{InstanceName}:{rotationId}]</c>. Reconciliation
    /// only ever treats tokens with its own instance name as orphans, so two deployments sharing a tenant never clean
    /// up each other's tokens. Lower-case letters, digits and '-', 1 to 32 characters.
    /// </summary>
    public string InstanceName { get; set; } = "tokenfunctions";

    /// <summary>NCRONTAB (six fields, UTC) of the scheduled-rotation timer.</summary>
    public string Schedule { get; set; } = "0 0 3 * * *";

    /// <summary>NCRONTAB of the sweep timer (disable after overlap, delete after grace).</summary>
    public string SweepSchedule { get; set; } = "0 30 * * * *";

    /// <summary>NCRONTAB of the reconciliation timer (orphans, interrupted rotations, adoption).</summary>
    public string ReconciliationSchedule { get; set; } = "0 15 * * * *";

    /// <summary>NCRONTAB of the hygiene report timer.</summary>
    public string HygieneSchedule { get; set; } = "0 0 6 * * 1";

    /// <summary>A replaced token is deleted this long after it was disabled (Dynatrace: revoke, then delete a week later).</summary>
    public TimeSpan DeleteGracePeriod { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Rotate a credential whose Key Vault version expires within this window, whatever its age.</summary>
    public TimeSpan NearExpiryWindow { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Default token lifetime = rotation period + overlap + this margin (so a late timer never meets an expired token).</summary>
    public TimeSpan ExpiryMargin { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How long a rotation may hold a credential before another run may take it over. Far above any one step.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Verification attempts (one per run) before a rotation is rolled back.</summary>
    public int MaxVerifyAttempts { get; set; } = 5;

    /// <summary>Upper bound of new rotations one scheduled run starts (keeps Dynatrace traffic bounded after an outage).</summary>
    public int MaxRotationsPerRun { get; set; } = 25;

    /// <summary>The scheduled run asks Dynatrace whether each current token still works and rotates it at once when not.</summary>
    public bool CheckCurrentTokenStatus { get; set; } = true;

    public RotationStateOptions State { get; set; } = new();

    public HygieneOptions Hygiene { get; set; } = new();
}

/// <summary>Where rotation state lives (section <c>Rotation:State</c>).</summary>
public sealed class RotationStateOptions
{
    /// <summary><c>Table</c> (default, durable) or <c>InMemory</c> (single-instance local runs only: a restart forgets rotations in flight).</summary>
    public string Mode { get; set; } = "Table";

    /// <summary>Storage connection string; falls back to <see cref="ServiceUri"/>, then <c>AzureWebJobsStorage</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Table endpoint for managed identity, e.g. <c>https://acct.table.core.windows.net/</c>.</summary>
    public Uri? ServiceUri { get; set; }

    public string TableName { get; set; } = "RotationState";
}

/// <summary>The hygiene report (section <c>Rotation:Hygiene</c>).</summary>
public sealed class HygieneOptions
{
    /// <summary>Tokens not used for this many days are reported.</summary>
    public int UnusedDays { get; set; } = 90;

    /// <summary>Off by default: disable tokens not used for <see cref="AutoDisableUnusedDays"/> (never managed or management credentials).</summary>
    public bool AutoDisableUnused { get; set; }

    public int AutoDisableUnusedDays { get; set; } = 180;
}
