using Microsoft.Extensions.Options;
using TokenFunctions.Engine.KeyVault;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Dynatrace;

/// <summary>
/// Startup checks for the <c>Dynatrace</c> section, each failure naming the key to fix. A kill that is
/// misconfigured must fail at deployment, not at 3 a.m. when the first leak arrives.
/// </summary>
public sealed class DynatraceOptionsValidator(IOptions<KeyVaultOptions> keyVault) : IValidateOptions<DynatraceOptions>
{
    public ValidateOptionsResult Validate(string? name, DynatraceOptions options)
    {
        var failures = Validate(options, keyVault.Value);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public static IReadOnlyList<string> Validate(DynatraceOptions options, KeyVaultOptions? keyVault)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var usesKeyVault = false;

        if (options.Environments.Count == 0 && options.Accounts.Count == 0)
        {
            failures.Add("Dynatrace: configure at least one environment (Dynatrace:Environments:0:…) or account (Dynatrace:Accounts:0:…).");
        }

        for (var i = 0; i < options.Environments.Count; i++)
        {
            usesKeyVault |= ValidateEnvironment(options.Environments[i], $"Dynatrace:Environments:{i}", names, failures);
        }

        for (var i = 0; i < options.Accounts.Count; i++)
        {
            usesKeyVault |= ValidateAccount(options.Accounts[i], $"Dynatrace:Accounts:{i}", names, failures);
        }

        if (usesKeyVault)
        {
            ValidateVault(keyVault, failures);
        }

        ValidateLimits(options, failures);
        return failures;
    }

    /// <summary>One <c>Dynatrace:Environments:N</c> entry; true when one of its credentials comes from Key Vault.</summary>
    private static bool ValidateEnvironment(DynatraceEnvironmentOptions e, string key, HashSet<string> names, List<string> failures)
    {
        CheckName(e.Name, key, names, failures);
        CheckBaseUrl(e.ApiBaseUrl, $"{key}:ApiBaseUrl", required: true, failures);
        var usesKeyVault = CheckCredential(e.CredentialSecretName, e.Credential, $"{key}:CredentialSecretName", $"{key}:Credential", required: true, failures);
        usesKeyVault |= CheckCredential(e.SecondaryCredentialSecretName, e.SecondaryCredential, $"{key}:SecondaryCredentialSecretName", $"{key}:SecondaryCredential", required: false, failures);
        if (!Enum.IsDefined(e.DisableApi))
        {
            failures.Add($"{key}:DisableApi must be V2 or V1.");
        }

        if (!string.IsNullOrEmpty(e.Credential) && string.Equals(e.Credential, e.SecondaryCredential, StringComparison.Ordinal))
        {
            failures.Add($"{key}: the secondary credential must be a different token from the primary one.");
        }

        return usesKeyVault;
    }

    /// <summary>One <c>Dynatrace:Accounts:N</c> entry; true when one of its client secrets comes from Key Vault.</summary>
    private static bool ValidateAccount(DynatraceAccountOptions a, string key, HashSet<string> names, List<string> failures)
    {
        CheckName(a.Name, key, names, failures);
        if (!Guid.TryParse(a.AccountUuid, out var uuid) || uuid == Guid.Empty)
        {
            failures.Add($"{key}:AccountUuid must be the account's UUID (Account Management > Identity & access management > OAuth clients).");
        }

        CheckClientId(a.ClientId, $"{key}:ClientId", required: true, failures);
        var usesKeyVault = CheckCredential(a.ClientSecretSecretName, a.ClientSecret, $"{key}:ClientSecretSecretName", $"{key}:ClientSecret", required: true, failures);
        var hasSecondaryId = !string.IsNullOrWhiteSpace(a.SecondaryClientId);
        var hasSecondarySecret = !string.IsNullOrWhiteSpace(a.SecondaryClientSecretSecretName) || !string.IsNullOrEmpty(a.SecondaryClientSecret);
        if (hasSecondaryId != hasSecondarySecret)
        {
            failures.Add($"{key}: set both SecondaryClientId and SecondaryClientSecret(SecretName), or neither.");
        }

        CheckClientId(a.SecondaryClientId, $"{key}:SecondaryClientId", required: false, failures);
        usesKeyVault |= CheckCredential(a.SecondaryClientSecretSecretName, a.SecondaryClientSecret, $"{key}:SecondaryClientSecretSecretName", $"{key}:SecondaryClientSecret", required: false, failures);
        CheckBaseUrl(a.SsoTokenEndpoint, $"{key}:SsoTokenEndpoint", required: false, failures);
        CheckBaseUrl(a.ApiBaseUrl, $"{key}:ApiBaseUrl", required: false, failures);
        CheckScopes(a.Scopes, $"{key}:Scopes", failures);
        return usesKeyVault;
    }

    /// <summary>A credential given as a Key Vault secret name needs a vault to read it from.</summary>
    private static void ValidateVault(KeyVaultOptions? keyVault, List<string> failures)
    {
        if (keyVault?.VaultUri is not { } vault)
        {
            failures.Add("KeyVault:VaultUri is required because a credential is given as a Key Vault secret name.");
        }
        else if (!vault.IsAbsoluteUri || vault.Scheme != Uri.UriSchemeHttps)
        {
            failures.Add("KeyVault:VaultUri must be an absolute https URL, e.g. https://my-vault.vault.azure.net/.");
        }
    }

    /// <summary>The time budgets, retry delays, cache durations and retry count.</summary>
    private static void ValidateLimits(DynatraceOptions options, List<string> failures)
    {
        CheckRange(options.RequestDeadline, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10), "Dynatrace:RequestDeadline", failures);
        CheckRange(options.AttemptTimeout, TimeSpan.FromMilliseconds(100), options.RequestDeadline, "Dynatrace:AttemptTimeout (at most RequestDeadline)", failures);
        CheckRange(options.RetryBaseDelay, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1), "Dynatrace:RetryBaseDelay", failures);
        CheckRange(options.RetryMaxDelay, options.RetryBaseDelay, TimeSpan.FromMinutes(5), "Dynatrace:RetryMaxDelay (at least RetryBaseDelay)", failures);
        CheckRange(options.CredentialCacheDuration, TimeSpan.Zero, TimeSpan.FromHours(1), "Dynatrace:CredentialCacheDuration", failures);
        CheckRange(options.BearerRefreshMargin, TimeSpan.Zero, TimeSpan.FromMinutes(4), "Dynatrace:BearerRefreshMargin", failures);
        if (options.MaxRetryAttempts is < 0 or > 100)
        {
            failures.Add("Dynatrace:MaxRetryAttempts must be between 0 and 100.");
        }
    }

    private static void CheckName(string? name, string key, HashSet<string> names, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            failures.Add($"{key}:Name is required.");
        }
        else if (!names.Add(name.Trim()))
        {
            failures.Add($"{key}:Name '{name}' is used twice; environment and account names must be unique.");
        }
    }

    private static void CheckBaseUrl(string? value, string key, bool required, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                failures.Add($"{key} is required, e.g. https://abc12345.live.dynatrace.com/ (SaaS) or https://dynatrace.example.com/e/abc12345/ (Managed).");
            }

            return;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"{key} '{value}' is not an absolute http(s) URL.");
            return;
        }

        if (url.Scheme == Uri.UriSchemeHttp && !DynatraceUrls.IsLoopback(url))
        {
            failures.Add($"{key} must use https (plain http is allowed only for a loopback sandbox): credentials travel in headers.");
        }

        if (!string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment) || !string.IsNullOrEmpty(url.UserInfo))
        {
            failures.Add($"{key} must not contain a query, fragment or user info.");
        }

        if (url.AbsolutePath.TrimEnd('/').EndsWith("/api", StringComparison.OrdinalIgnoreCase)
            || url.AbsolutePath.Contains("/api/v", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"{key} must stop before /api (the client appends api/v2/…).");
        }
    }

    /// <summary>True when the credential comes from Key Vault.</summary>
    private static bool CheckCredential(string? secretName, string? value, string secretKey, string valueKey, bool required, List<string> failures)
    {
        var hasName = !string.IsNullOrWhiteSpace(secretName);
        var hasValue = !string.IsNullOrEmpty(value);
        if (hasName && hasValue)
        {
            failures.Add($"Set only one of {secretKey} or {valueKey}.");
        }
        else if (!hasName && !hasValue && required)
        {
            failures.Add($"Set {secretKey} (Key Vault secret name) or, for local runs, {valueKey}.");
        }

        if (hasName && TokenScanner.FindAll(secretName).Count > 0)
        {
            // Redacted: the point is that the value was pasted where a name belongs.
            failures.Add($"{secretKey} looks like a token, not a Key Vault secret name ({Redaction.Redact(secretName)}).");
        }

        return hasName;
    }

    /// <summary>
    /// Whether the client holds them only the SSO can say (<c>invalid_scope</c> on the first call, named in the outcome
    /// and logged as event 4107); what can be known here is that the list is well formed.
    /// </summary>
    private static void CheckScopes(string? scopes, string key, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(scopes))
        {
            return;
        }

        var list = scopes.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
        var malformed = list.Where(s => !s.All(c => char.IsAsciiLetterOrDigit(c) || c is ':' or '-' or '_' or '.')).ToList();
        if (malformed.Count > 0)
        {
            failures.Add($"{key}: '{string.Join("', '", malformed)}' is not an OAuth scope name; separate scopes with spaces, or leave the setting unset to let the app pick a family ('{PlatformScopeFamily.AccountIdm.Scopes}' or '{PlatformScopeFamily.PlatformToken.Scopes}').");
        }
    }

    private static void CheckClientId(string? clientId, string key, bool required, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(clientId))
        {
            if (required)
            {
                failures.Add($"{key} is required (dt0s02.XXXXXXXX).");
            }

            return;
        }

        if (TokenScanner.FindAll(clientId).Count > 0)
        {
            failures.Add($"{key} looks like a client secret ({Redaction.Redact(clientId)}); give the id only, and the secret in ClientSecret(SecretName).");
        }
    }

    private static void CheckRange(TimeSpan value, TimeSpan min, TimeSpan max, string key, List<string> failures)
    {
        if (value < min || value > max)
        {
            failures.Add($"{key} must be between {min} and {max} (is {value}).");
        }
    }
}
