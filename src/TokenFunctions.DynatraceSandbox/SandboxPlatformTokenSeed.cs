namespace TokenFunctions.DynatraceSandbox;

/// <summary>A platform token (<c>dt0s16</c>) to put into an account; id and secret are generated when not given.</summary>
public sealed record SandboxPlatformTokenSeed
{
    public string? Id { get; init; }

    public string? Secret { get; init; }

    public string? Name { get; init; }

    public string? Description { get; init; }

    public IReadOnlyList<string>? Scopes { get; init; }

    public IReadOnlyList<string>? Resources { get; init; }

    public IReadOnlyList<string>? Tags { get; init; }

    public DateTimeOffset? ExpirationDate { get; init; }

    public string? UserUuid { get; init; }

    /// <summary>Null means ACTIVE.</summary>
    public bool? Active { get; init; }

    public override string ToString() => $"{Id ?? "(generated)"} {Name}";
}
