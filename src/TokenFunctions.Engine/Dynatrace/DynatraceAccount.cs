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
    /// <c>account-idm-write</c> (status, expiration date, delete, create). The first family asked for when
    /// <see cref="Scopes"/> is not set (see <see cref="PlatformScopeFamily"/>).
    /// </summary>
    public const string DefaultScopes = "account-idm-read account-idm-write";

    /// <summary>
    /// Space-separated OAuth scopes to request for the bearer (<c>Dynatrace:Accounts:N:Scopes</c>), asked for as given.
    /// Null: automatic, <see cref="PlatformScopeFamily.AccountIdm"/> first and <see cref="PlatformScopeFamily.PlatformToken"/>
    /// once if the SSO refuses the first (<c>invalid_scope</c>) or the API answers 403. The SSO refuses any scope the client
    /// was not granted, so each request names one family only.
    /// </summary>
    public string? Scopes { get; init; }

    /// <summary>
    /// Read the account audit log (<c>GET /audit/v1/accounts/{uuid}</c>, scope <c>account-idm-read</c> per its reference page)
    /// for evidence of a leaked platform token's use since the leak (<c>Dynatrace:Accounts:N:ReadAuditLog</c>, default off).
    /// </summary>
    public bool ReadAuditLog { get; init; }

    /// <summary>The scope families this account tries, in order.</summary>
    public IReadOnlyList<PlatformScopeFamily> ScopeFamilies =>
        string.IsNullOrWhiteSpace(Scopes) ? PlatformScopeFamily.All : [PlatformScopeFamily.Configured(Scopes)];
}
