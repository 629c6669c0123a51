namespace TokenFunctions.DynatraceSandbox;

/// <summary>A snapshot of one platform token's state in the sandbox (without its secret).</summary>
public sealed record SandboxPlatformToken(
    string Id,
    string Name,
    string? Description,
    string Status,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<string> Resources,
    IReadOnlyList<string> Tags,
    DateTimeOffset? ExpirationDate,
    string UserUuid,
    DateTimeOffset? LastUsedAt,
    string? LastClient)
{
    /// <summary>Its id under <see cref="SandboxIdForm.Uuid"/>.</summary>
    public string Uuid { get; init; } = "";

    public bool IsActive => Status == "ACTIVE";
}
