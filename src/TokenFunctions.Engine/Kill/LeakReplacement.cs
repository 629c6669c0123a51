namespace TokenFunctions.Engine.Kill;

/// <summary>
/// What the kill learns when a leaked token is a managed credential: where its replacement is (Key Vault secret
/// id; null when none was made, e.g. the rotation failed) and who the credential's <c>tf-notify</c> tag says to tell.
/// </summary>
public sealed record LeakReplacement(string? Location, string? Notify)
{
    /// <summary>Key Vault or the rotation state store is unavailable: nothing was decided, retry later.</summary>
    public static LeakReplacement Postponed { get; } = new(null, null) { IsPostponed = true };

    /// <summary>The replacement waits for Key Vault or storage to come back (audited <c>leak-rotate</c>/<c>Postponed</c>).</summary>
    public bool IsPostponed { get; init; }

    /// <summary>A replacement exists or is being made (<see cref="Location"/> is set).</summary>
    public bool IsReplaced => Location is not null;

    /// <summary>Why no replacement could be made (e.g. classic creation switched off in a Phase 3 environment); null otherwise.</summary>
    public string? Problem { get; init; }
}
