namespace TokenFunctions.DynatraceSandbox.State;

internal sealed class PlatformTokenState(string id, string secret, SandboxPlatformTokenSeed seed, string userUuid)
{
    private readonly Lock _gate = new();

    public string Id { get; } = id;

    public string Secret { get; } = secret;

    public string Name { get; } = seed.Name ?? id;

    public string? Description { get; } = seed.Description;

    public string Status { get; private set; } = seed.Active ?? true ? "ACTIVE" : "INACTIVE";

    public string[] Scopes { get; } = [.. seed.Scopes ?? []];

    public string[] Resources { get; } = [.. seed.Resources ?? []];

    public string[] Tags { get; } = [.. seed.Tags ?? []];

    public DateTimeOffset? ExpirationDate { get; private set; } = seed.ExpirationDate;

    public string UserUuid { get; } = seed.UserUuid ?? userUuid;

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

    public bool Matches(string term) =>
        Id.Contains(term, StringComparison.OrdinalIgnoreCase)
        || Name.Contains(term, StringComparison.OrdinalIgnoreCase)
        || UserUuid.Contains(term, StringComparison.OrdinalIgnoreCase)
        || Array.Exists(Scopes, s => s.Contains(term, StringComparison.OrdinalIgnoreCase));

    public SandboxPlatformToken Snapshot()
    {
        lock (_gate)
        {
            return new SandboxPlatformToken(Id, Name, Description, Status, Scopes, Resources, Tags, ExpirationDate, UserUuid, null, null);
        }
    }
}
