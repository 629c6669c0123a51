namespace TokenFunctions.DynatraceSandbox;

/// <summary>A platform token (<c>dt0s16</c>) to put into an account; id and secret are generated when not given.</summary>
public sealed record SandboxPlatformTokenSeed
{
    public string? Id { get; init; }

    /// <summary>Its id under <see cref="SandboxIdForm.Uuid"/>; generated when not given.</summary>
    public string? Uuid { get; init; }

    public string? Secret { get; init; }

    public string? Name { get; init; }

    public string? Description { get; init; }

    public IReadOnlyList<string>? Scopes { get; init; }

    public IReadOnlyList<string>? Resources { get; init; }

    public IReadOnlyList<string>? Tags { get; init; }

    public DateTimeOffset? ExpirationDate { get; init; }

    public string? UserUuid { get; init; }

    public DateTimeOffset? LastUsedAt { get; init; }

    /// <summary>The client id or IP address of the last use.</summary>
    public string? LastClient { get; init; }

    /// <summary>Null means ACTIVE.</summary>
    public bool? Active { get; init; }

    public override string ToString() => $"{Id ?? "(generated)"} {Name}";
}
