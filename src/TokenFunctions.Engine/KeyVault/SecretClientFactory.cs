using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;

namespace TokenFunctions.Engine.KeyVault;

/// <summary>
/// The app's one <see cref="SecretClient"/>: the configured vault, the given credential (else
/// <see cref="DefaultAzureCredential"/> with <c>KeyVault:ManagedIdentityClientId</c>), three retries and a 5 s network
/// timeout; a vault that never answered surfaces as <see cref="Azure.RequestFailedException"/> with status 0
/// (<see cref="VaultUnreachablePolicy"/>). With <c>KeyVault:LoopbackCertificateSha256</c> (a loopback test vault only; see
/// <see cref="KeyVaultOptionsValidator"/>) the transport trusts exactly that certificate and the challenge's resource is
/// not checked against the vault's host.
/// </summary>
public static class SecretClientFactory
{
    public static SecretClient Create(KeyVaultOptions options, TokenCredential? credential = null) => Create(options, credential, configure: null);

    /// <summary>With <paramref name="configure"/> applied last: tests shorten retries and timeouts to exercise faults quickly.</summary>
    internal static SecretClient Create(KeyVaultOptions options, TokenCredential? credential, Action<SecretClientOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(options);
        var vault = options.VaultUri ?? throw new InvalidOperationException("KeyVault:VaultUri is not configured (e.g. https://kv-name.vault.azure.net/).");
        credential ??= DefaultCredential(options.ManagedIdentityClientId);
        var clientOptions = new SecretClientOptions
        {
            Retry = { MaxRetries = 3, NetworkTimeout = TimeSpan.FromSeconds(5) },
        };
        clientOptions.AddPolicy(new VaultUnreachablePolicy(), HttpPipelinePosition.PerCall);
        if (!string.IsNullOrEmpty(options.LoopbackCertificateSha256))
        {
            // The validator refuses this off loopback; checked again here because a wrong pin must never reach a real vault.
            var failures = KeyVaultOptionsValidator.Validate(options);
            if (failures.Count > 0 || !TryParsePin(options.LoopbackCertificateSha256, out var pin))
            {
                throw new InvalidOperationException(string.Join(" ", failures));
            }

            clientOptions.Transport = new HttpClientTransport(PinnedHandler(pin));
            clientOptions.DisableChallengeResourceVerification = true;
        }

        configure?.Invoke(clientOptions);
        return new SecretClient(vault, credential, clientOptions);
    }

    /// <summary>
    /// DefaultAzureCredential's own default for the managed identity is <c>AZURE_CLIENT_ID</c> (the Bicep sets it to the
    /// app's only, user-assigned identity); assigning an unset setting would replace it with null, i.e. ask for a
    /// system-assigned identity the app does not have. So the option is assigned only when the setting is given.
    /// </summary>
    internal static DefaultAzureCredential DefaultCredential(string? managedIdentityClientId)
    {
        var options = new DefaultAzureCredentialOptions();
        if (!string.IsNullOrWhiteSpace(managedIdentityClientId))
        {
            options.ManagedIdentityClientId = managedIdentityClientId;
        }

        return new DefaultAzureCredential(options);
    }

    /// <summary>64 hex digits, any case; colons between byte pairs are accepted as certificate tools print them.</summary>
    public static bool TryParsePin(string? value, out byte[] pin)
    {
        pin = [];
        var hex = value?.Replace(":", string.Empty, StringComparison.Ordinal).Trim();
        if (hex is not { Length: 64 } || !hex.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        pin = Convert.FromHexString(hex);
        return true;
    }

    /// <summary>Accepts the server certificate whose SHA-256 is the pin, whatever its chain or name; nothing else.</summary>
    private static SocketsHttpHandler PinnedHandler(byte[] pin) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(certificate.GetRawCertData()), pin),
        },
    };
}
