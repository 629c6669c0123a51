using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Security.KeyVault.Secrets;
using TokenFunctions.Engine.KeyVault;
using VaultSandbox = TokenFunctions.KeyVaultSandbox.KeyVaultSandbox;

namespace TokenFunctions.Engine.IntegrationTests.KeyVault;

/// <summary>
/// Real <see cref="SecretClient"/>s for the loopback vault, built by the app's own <see cref="SecretClientFactory"/>
/// (pinned certificate, challenge resource check off), and helpers that compare secret values without printing them.
/// </summary>
internal static class VaultClients
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static KeyVaultOptions Options(VaultSandbox vault) => new() { VaultUri = vault.VaultUri, LoopbackCertificateSha256 = vault.CertificateSha256 };

    /// <summary>Exactly as the app builds it: three retries with Azure.Core's back-off, 5 s network timeout.</summary>
    public static SecretClient Production(VaultSandbox vault, TokenCredential? credential = null) =>
        SecretClientFactory.Create(Options(vault), credential ?? vault.Credential);

    /// <summary>The app's client with retries that do not wait and a short network timeout, for fault tests.</summary>
    public static SecretClient Fast(VaultSandbox vault, int maxRetries = 2, TimeSpan? networkTimeout = null, TokenCredential? credential = null) =>
        SecretClientFactory.Create(Options(vault), credential ?? vault.Credential, o =>
        {
            o.Retry.MaxRetries = maxRetries;
            o.Retry.Delay = TimeSpan.FromMilliseconds(1);
            o.Retry.MaxDelay = TimeSpan.FromMilliseconds(5);
            o.Retry.NetworkTimeout = networkTimeout ?? TimeSpan.FromSeconds(5);
        });

    /// <summary>A fresh random value; tests never print one.</summary>
    public static string NewValue() => Convert.ToHexString(RandomNumberGenerator.GetBytes(24));

    /// <summary>Compares by SHA-256 so that a failure message shows fingerprints, never the values.</summary>
    public static void SameValue(string expected, string? actual) => Assert.Equal(Fingerprint(expected), actual is null ? "(null)" : Fingerprint(actual));

    private static string Fingerprint(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..16];
}
