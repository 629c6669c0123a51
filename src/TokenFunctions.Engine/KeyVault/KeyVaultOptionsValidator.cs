using Microsoft.Extensions.Options;

namespace TokenFunctions.Engine.KeyVault;

/// <summary>Validates <see cref="KeyVaultOptions"/> at start-up; above all, that the loopback certificate pin cannot reach a real vault.</summary>
public sealed class KeyVaultOptionsValidator : IValidateOptions<KeyVaultOptions>
{
    public ValidateOptionsResult Validate(string? name, KeyVaultOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Validate(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public static IReadOnlyList<string> Validate(KeyVaultOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.IndexCacheDuration <= TimeSpan.Zero || options.IndexMissRefreshInterval < TimeSpan.Zero || options.OutageCacheDuration < TimeSpan.Zero)
        {
            failures.Add("KeyVault:IndexCacheDuration must be positive; IndexMissRefreshInterval and OutageCacheDuration not negative.");
        }

        if (string.IsNullOrEmpty(options.LoopbackCertificateSha256))
        {
            return failures;
        }

        if (!SecretClientFactory.TryParsePin(options.LoopbackCertificateSha256, out _))
        {
            failures.Add("KeyVault:LoopbackCertificateSha256 must be the 64 hex digits of a certificate's SHA-256.");
        }

        if (options.VaultUri is not { IsAbsoluteUri: true, IsLoopback: true } vault || vault.Scheme != Uri.UriSchemeHttps)
        {
            failures.Add(
                "KeyVault:LoopbackCertificateSha256 trusts a test vault's self-signed certificate and is only accepted when KeyVault:VaultUri " +
                $"is an https URL on a loopback host (127.0.0.1, ::1 or localhost); KeyVault:VaultUri is {Describe(options.VaultUri)}. " +
                "Remove KeyVault:LoopbackCertificateSha256 from any deployed app's settings.");
        }

        return failures;
    }

    private static string Describe(Uri? vault) => vault is null ? "not set" : vault.IsAbsoluteUri ? $"{vault.Scheme}://{vault.Authority}/" : "not an absolute URL";
}
