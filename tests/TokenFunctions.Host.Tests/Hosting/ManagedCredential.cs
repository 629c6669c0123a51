using System.Security.Cryptography;
using System.Text;
using TokenFunctions.DynatraceSandbox;

namespace TokenFunctions.Host.Tests.Hosting;

/// <summary>How an operator enrols a credential for the app to manage: a Key Vault secret with the <c>tf-</c> tags (docs/rotation.md).</summary>
internal static class ManagedCredential
{
    public static Dictionary<string, string> Tags(SandboxIssuedToken token, string environment, string period = "90d", string overlap = "1d") => new()
    {
        ["tf-kind"] = "classic",
        ["tf-target"] = environment,
        ["tf-rotation-period"] = period,
        ["tf-overlap"] = overlap,
        ["tf-notify"] = "team-observability",
        ["tf-token-id"] = token.Id,
        ["tf-fingerprint"] = Fingerprint(token.Secret),
    };

    /// <summary>Lower-case hex SHA-256 of the whole token: what GitGuardian sends as <c>secret_hash</c>.</summary>
    public static string Fingerprint(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
