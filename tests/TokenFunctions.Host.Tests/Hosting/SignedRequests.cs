using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace TokenFunctions.Host.Tests.Hosting;

/// <summary>
/// Signed webhook requests as each scanner sends them, signed here independently of the engine's own code (so a
/// signing bug there cannot hide behind the same bug in the test).
/// </summary>
internal static class SignedRequests
{
    public static HttpRequestMessage GitHubAlert(string secret, byte[] body, string deliveryId) =>
        Post("api/webhooks/github", body, ("X-Hub-Signature-256", Hmac(secret, body)), ("X-GitHub-Event", "secret_scanning_alert"), ("X-GitHub-Delivery", deliveryId));

    public static HttpRequestMessage GitHubPartner(ECDsa key, string keyId, byte[] body) =>
        Post("api/webhooks/github-partner", body, ("Github-Public-Key-Identifier", keyId),
            ("Github-Public-Key-Signature", Convert.ToBase64String(key.SignData(body, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence))));

    public static HttpRequestMessage GitGuardian(string token, byte[] body, DateTimeOffset now)
    {
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return Post("api/webhooks/gitguardian", body, ("Timestamp", timestamp), ("Gitguardian-Signature", Hmac(timestamp + token, body)));
    }

    public static HttpRequestMessage Generic(string secret, byte[] body, DateTimeOffset now)
    {
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return Post("api/webhooks/generic", body, ("X-TokenFunctions-Timestamp", timestamp), ("X-TokenFunctions-Signature", Hmac(secret, body, timestamp + ".")));
    }

    public static HttpRequestMessage GitLab(string token, byte[] body) => Post("api/gitlab/v1/revoke_tokens", body, ("Authorization", token));

    /// <summary><c>sha256=</c> + lower-case hex of HMAC-SHA256(key, prefix + body).</summary>
    public static string Hmac(string key, byte[] body, string prefix = "") =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), (byte[])[.. Encoding.UTF8.GetBytes(prefix), .. body]));

    private static HttpRequestMessage Post(string path, byte[] body, params (string Name, string Value)[] headers)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }
}
