namespace TokenFunctions.DynatraceSandbox;

/// <summary>A snapshot of one classic token's state in the sandbox (without its secret).</summary>
public sealed record SandboxApiToken(
    string Id,
    string Name,
    string Owner,
    bool Enabled,
    bool PersonalAccessToken,
    IReadOnlyList<string> Scopes,
    DateTimeOffset CreationDate,
    DateTimeOffset? ExpirationDate,
    DateTimeOffset? LastUsedDate,
    string? LastUsedIpAddress,
    DateTimeOffset? ModifiedDate);
