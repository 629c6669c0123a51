namespace TokenFunctions.Engine.Dynatrace;

/// <summary>A Dynatrace account whose platform tokens are managed through the Account Management API with an OAuth client.</summary>
public sealed record DynatraceAccount
{
    public required string Name { get; init; }

    public required Guid AccountUuid { get; init; }

    /// <summary>The OAuth client id (<c>dt0s02.XXXX</c>); not a secret.</summary>
    public required string ClientId { get; init; }

    /// <summary>The OAuth client secret (<c>dt0s02.XXXX.SECRET</c>).</summary>
    public required CredentialReference ClientSecret { get; init; }

    /// <summary>A second OAuth client for when the first one's own credential is the subject of a rotation.</summary>
    public string? SecondaryClientId { get; init; }

    public CredentialReference? SecondaryClientSecret { get; init; }

    public Uri SsoTokenEndpoint { get; init; } = new("https://sso.dynatrace.com/sso/oauth2/token");

    public Uri ApiBaseUrl { get; init; } = new("https://api.dynatrace.com/");

    /// <summary>
    /// What the docs name for the platform-token calls this app makes: <c>account-idm-read</c> (list) and
    /// <c>account-idm-write</c> (status, expiration date, delete, create).
    /// </summary>
    public const string DefaultScopes = "account-idm-read account-idm-write";

    /// <summary>
    /// Space-separated OAuth scopes requested for the bearer (<c>Dynatrace:Accounts:N:Scopes</c>), default
    /// <see cref="DefaultScopes"/>. The SSO refuses a scope the client was not granted (<c>400 invalid_scope</c>), so only
    /// these are asked for.
    /// </summary>
    public string Scopes { get; init; } = DefaultScopes;
}
