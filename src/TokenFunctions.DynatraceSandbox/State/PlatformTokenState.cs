namespace TokenFunctions.DynatraceSandbox.State;

internal sealed class PlatformTokenState(string id, string secret, SandboxPlatformTokenSeed seed, string userUuid)
{
    private readonly Lock _gate = new();

    /// <summary>The <c>dt0s16.PUBLIC</c> id, the first two parts of the secret.</summary>
    public string Id { get; } = id;

    /// <summary>The id under <see cref="SandboxIdForm.Uuid"/>: what <c>tokenId</c> and paths carry in that reading.</summary>
    public string Uuid { get; } = seed.Uuid ?? Guid.NewGuid().ToString();

    public string Secret { get; } = secret;

    public string Name { get; } = seed.Name ?? id;

    public string? Description { get; } = seed.Description;

    public string Status { get; private set; } = seed.Active ?? true ? "ACTIVE" : "INACTIVE";

    public string[] Scopes { get; } = [.. seed.Scopes ?? []];

    public string[] Resources { get; } = [.. seed.Resources ?? []];

    public string[] Tags { get; } = [.. seed.Tags ?? []];

    public DateTimeOffset? ExpirationDate { get; private set; } = seed.ExpirationDate;

    public string UserUuid { get; } = seed.UserUuid ?? userUuid;

    public DateTimeOffset? LastUsedAt { get; private set; } = seed.LastUsedAt;

    /// <summary>The client id or IP of the last use; which field name carries it depends on the reading.</summary>
    public string? LastClient { get; private set; } = seed.LastClient;

    /// <summary>The id as the API spells it under <paramref name="form"/>.</summary>
    public string IdIn(SandboxIdForm form) => form == SandboxIdForm.Uuid ? Uuid : Id;

    public void SetStatus(string status)
    {
        lock (_gate)
        {
            Status = status;
        }
    }

    public void SetExpiration(DateTimeOffset? expiration)
    {
        lock (_gate)
        {
            ExpirationDate = expiration;
        }
    }

    public void Used(DateTimeOffset at, string client)
    {
        lock (_gate)
        {
            LastUsedAt = at;
            LastClient = client;
        }
    }

    /// <summary>The docs: "matches tokenId, name, createdBy or scope"; the <c>dt0s16</c> id matches in every id form.</summary>
    public bool Matches(string term) =>
        Id.Contains(term, StringComparison.OrdinalIgnoreCase)
        || Uuid.Contains(term, StringComparison.OrdinalIgnoreCase)
        || Name.Contains(term, StringComparison.OrdinalIgnoreCase)
        || UserUuid.Contains(term, StringComparison.OrdinalIgnoreCase)
        || Array.Exists(Scopes, s => s.Contains(term, StringComparison.OrdinalIgnoreCase));

    public SandboxPlatformToken Snapshot()
    {
        lock (_gate)
        {
            return new SandboxPlatformToken(Id, Name, Description, Status, Scopes, Resources, Tags, ExpirationDate, UserUuid, LastUsedAt, LastClient) { Uuid = Uuid };
        }
    }
}
