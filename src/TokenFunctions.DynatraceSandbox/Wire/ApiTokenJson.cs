namespace TokenFunctions.DynatraceSandbox.Wire;

/// <summary><c>ApiToken</c>: fields not asked for (see <c>fields</c>) stay null and are left out.</summary>
internal sealed record ApiTokenJson
{
    public string Id { get; init; } = "";

    public string? Name { get; init; }

    public bool? Enabled { get; init; }

    public string? Owner { get; init; }

    public bool? PersonalAccessToken { get; init; }

    public string? CreationDate { get; init; }

    public string? ExpirationDate { get; init; }

    public string? LastUsedDate { get; init; }

    public string? LastUsedIpAddress { get; init; }

    public string? ModifiedDate { get; init; }

    public IReadOnlyList<string>? Scopes { get; init; }
}
