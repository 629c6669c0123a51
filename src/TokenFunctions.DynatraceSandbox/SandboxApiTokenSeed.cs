namespace TokenFunctions.DynatraceSandbox;

/// <summary>
/// A classic API token to put into an environment. Every property is optional: the id and secret are generated in the
/// documented <c>dt0c01.PUBLIC(24).SECRET(64)</c> format when not given. Also the JSON shape of a seed file entry.
/// </summary>
public sealed record SandboxApiTokenSeed
{
    public string? Id { get; init; }

    public string? Secret { get; init; }

    public string? Name { get; init; }

    public string? Owner { get; init; }

    public IReadOnlyList<string>? Scopes { get; init; }

    /// <summary>Null means enabled. (Nullable because source-generated JSON would reset an initialised default.)</summary>
    public bool? Enabled { get; init; }

    public bool PersonalAccessToken { get; init; }

    public DateTimeOffset? CreationDate { get; init; }

    public DateTimeOffset? ExpirationDate { get; init; }

    public DateTimeOffset? LastUsedDate { get; init; }

    public string? LastUsedIpAddress { get; init; }

    public override string ToString() => $"{Id ?? "(generated)"} {Name}";
}
