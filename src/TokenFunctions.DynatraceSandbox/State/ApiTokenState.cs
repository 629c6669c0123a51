namespace TokenFunctions.DynatraceSandbox.State;

/// <summary>The mutable state of one classic token; every change and every snapshot happens under its own lock.</summary>
internal sealed class ApiTokenState
{
    private readonly Lock _gate = new();
    private long _lastUsedTicks;

    public ApiTokenState(string id, string secret, SandboxApiTokenSeed seed, DateTimeOffset now)
    {
        Id = id;
        Secret = secret;
        Name = seed.Name ?? id;
        Owner = seed.Owner ?? "sandbox@example.com";
        Enabled = seed.Enabled ?? true;
        PersonalAccessToken = seed.PersonalAccessToken;
        Scopes = [.. seed.Scopes ?? []];
        CreationDate = seed.CreationDate ?? now;
        ExpirationDate = seed.ExpirationDate;
        _lastUsedTicks = seed.LastUsedDate?.UtcTicks ?? 0;
        LastUsedIpAddress = seed.LastUsedIpAddress;
    }

    public string Id { get; }

    public string Secret { get; }

    public string Name { get; private set; }

    public string Owner { get; }

    public bool Enabled { get; private set; }

    public bool PersonalAccessToken { get; }

    public string[] Scopes { get; private set; }

    public DateTimeOffset CreationDate { get; }

    public DateTimeOffset? ExpirationDate { get; private set; }

    public DateTimeOffset? ModifiedDate { get; private set; }

    public string? LastUsedIpAddress { get; private set; }

    public DateTimeOffset? LastUsedDate
    {
        get
        {
            var ticks = Interlocked.Read(ref _lastUsedTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    public bool HasAnyScope(string[] scopes)
    {
        var mine = Scopes;
        foreach (var scope in scopes)
        {
            if (Array.IndexOf(mine, scope) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the token may authenticate a request right now.</summary>
    public bool IsUsable(DateTimeOffset now)
    {
        lock (_gate)
        {
            return Enabled && (ExpirationDate is null || ExpirationDate > now);
        }
    }

    public void Touch(DateTimeOffset now, string? ip)
    {
        Interlocked.Exchange(ref _lastUsedTicks, now.UtcTicks);
        if (ip is not null && !string.Equals(LastUsedIpAddress, ip, StringComparison.Ordinal))
        {
            LastUsedIpAddress = ip;
        }
    }

    public void Update(bool? enabled, string? name, IReadOnlyList<string>? scopes, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (enabled is { } e)
            {
                Enabled = e;
            }

            // Dynatrace: "Updating scopes or name counts as modification, enabling or disabling a token does not."
            if (name is not null && !string.Equals(name, Name, StringComparison.Ordinal))
            {
                Name = name;
                ModifiedDate = now;
            }

            if (scopes is not null)
            {
                Scopes = [.. scopes];
                ModifiedDate = now;
            }
        }
    }

    public void SetExpiration(DateTimeOffset? expiration)
    {
        lock (_gate)
        {
            ExpirationDate = expiration;
        }
    }

    public SandboxApiToken Snapshot()
    {
        lock (_gate)
        {
            return new SandboxApiToken(Id, Name, Owner, Enabled, PersonalAccessToken, Scopes, CreationDate, ExpirationDate, LastUsedDate, LastUsedIpAddress, ModifiedDate);
        }
    }
}
