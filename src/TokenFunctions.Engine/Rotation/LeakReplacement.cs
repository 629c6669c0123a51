namespace TokenFunctions.Engine.Rotation;

/// <summary>
/// What the kill-switch learns when a leaked token is a managed credential: where its replacement is (Key Vault secret
/// id; null when none was made, e.g. the rotation failed) and who the credential's <c>tf-notify</c> tag says to tell.
/// </summary>
public sealed record LeakReplacement(string? Location, string? Notify)
{
    /// <summary>Why no replacement could be made (e.g. classic creation switched off in a Phase 3 environment); null otherwise.</summary>
    public string? Problem { get; init; }
}
