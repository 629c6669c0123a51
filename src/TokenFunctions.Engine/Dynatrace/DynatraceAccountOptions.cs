namespace TokenFunctions.Engine.Dynatrace;

/// <summary><c>Dynatrace:Accounts:N</c>: an account whose platform tokens are managed with an OAuth client.</summary>
public sealed class DynatraceAccountOptions
{
    public string? Name { get; set; }

    public string? AccountUuid { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecretSecretName { get; set; }

    public string? ClientSecret { get; set; }

    public string? SecondaryClientId { get; set; }

    public string? SecondaryClientSecretSecretName { get; set; }

    public string? SecondaryClientSecret { get; set; }

    /// <summary>Default <c>https://sso.dynatrace.com/sso/oauth2/token</c>.</summary>
    public string? SsoTokenEndpoint { get; set; }

    /// <summary>Default <c>https://api.dynatrace.com/</c>.</summary>
    public string? ApiBaseUrl { get; set; }

    /// <summary>
    /// Space-separated OAuth scopes the client was granted. Unset: automatic, the docs' <c>account-idm-read account-idm-write</c>
    /// first and <c>platform-token:tokens:manage platform-token:tokens:write</c> if those are refused.
    /// </summary>
    public string? Scopes { get; set; }

    /// <summary>Read the account audit log for evidence of a leaked platform token's use after the leak (default false).</summary>
    public bool ReadAuditLog { get; set; }

    /// <summary>Only call after validation.</summary>
    public DynatraceAccount ToAccount()
    {
        var account = new DynatraceAccount
        {
            Name = Name!,
            AccountUuid = Guid.Parse(AccountUuid!),
            ClientId = ClientId!.Trim(),
            ClientSecret = DynatraceEnvironmentOptions.Reference(ClientSecretSecretName, ClientSecret)!,
            SecondaryClientId = string.IsNullOrWhiteSpace(SecondaryClientId) ? null : SecondaryClientId.Trim(),
            SecondaryClientSecret = DynatraceEnvironmentOptions.Reference(SecondaryClientSecretSecretName, SecondaryClientSecret),
            ReadAuditLog = ReadAuditLog,
        };
        if (!string.IsNullOrWhiteSpace(SsoTokenEndpoint))
        {
            account = account with { SsoTokenEndpoint = new Uri(SsoTokenEndpoint, UriKind.Absolute) };
        }

        if (!string.IsNullOrWhiteSpace(ApiBaseUrl))
        {
            account = account with { ApiBaseUrl = DynatraceUrls.WithTrailingSlash(new Uri(ApiBaseUrl, UriKind.Absolute)) };
        }

        return string.IsNullOrWhiteSpace(Scopes) ? account : account with { Scopes = string.Join(' ', Scopes.Split((char[])[' ', ','], StringSplitOptions.RemoveEmptyEntries)) };
    }
}
