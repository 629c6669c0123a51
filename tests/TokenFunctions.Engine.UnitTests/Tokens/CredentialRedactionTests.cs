using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.UnitTests.Tokens;

/// <summary>Every credential the app holds is redacted, not only Dynatrace token shapes.</summary>
public sealed class CredentialRedactionTests
{
    [Theory]
    [InlineData("Authorization: Bearer ghp_16C7e42F292c6912E7710c838347Ae178B4a now", "ghp_16C7e42F292c6912E7710c838347Ae178B4a")]
    [InlineData("token ghs_aBcDeFgHiJkLmNoPqRsTuVwXyZ012345 for the installation", "aBcDeFgHiJkLmNoPqRsTuVwXyZ012345")]
    [InlineData("pat github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz")]
    [InlineData("[Authorization, Bearer 3f2a9c8d7e6b5a4f3e2d1c0b]", "3f2a9c8d7e6b5a4f3e2d1c0b")]
    [InlineData("sso said eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0b2tlbmZ1bmN0aW9ucyJ9.c2lnbmF0dXJlLXBhcnQ done", "eyJzdWIiOiJ0b2tlbmZ1bmN0aW9ucyJ9")]
    [InlineData("AccountName=st;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=x", "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq")]
    [InlineData("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=q9QmZ8x7Y6w5V4u3T2s1R0pO9nM8lK7j6H5g4F3e2D1=", "q9QmZ8x7Y6w5V4u3T2s1R0pO9nM8lK7j6H5g4F3e2D1")]
    [InlineData("GET https://acct.table.core.windows.net/audit?sv=2024&sig=AbCdEf0123456789%2Bxyz&se=2026", "AbCdEf0123456789%2Bxyz")]
    [InlineData("grant_type=client_credentials&client_id=dt0s02.ABC&client_secret=s3cr3t-value-123&scope=x", "s3cr3t-value-123")]
    [InlineData("posting to https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX failed", "T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX")]
    [InlineData("posting to https://contoso.webhook.office.com/webhookb2/1234-abcd@5678/IncomingWebhook/abcdef/0000 failed", "1234-abcd@5678/IncomingWebhook")]
    [InlineData("key -----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1234567890\n-----END RSA PRIVATE KEY----- read", "MIIEowIBAAKCAQEA1234567890")]
    public void Credential_shapes_are_masked_wherever_they_appear(string text, string secret)
    {
        var redacted = Redaction.Redact(text)!;

        Assert.DoesNotContain(secret, redacted, StringComparison.Ordinal);
        Assert.Contains(Redaction.Mask, redacted, StringComparison.Ordinal);
        Assert.True(Redaction.ContainsSecret(text));
        Assert.False(Redaction.ContainsSecret(redacted.Replace(Redaction.Mask, "x", StringComparison.Ordinal)) && redacted.Contains(secret, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Bearer tokens expire after five minutes; the SSO issues another.")]
    [InlineData("signature verified; design=final; eyJ is how a JWT starts")]
    [InlineData("ghp_ is the prefix of a classic GitHub token")]
    [InlineData("-----BEGIN PUBLIC KEY----- is fine to log")]
    public void Prose_about_credentials_is_left_alone(string text) =>
        Assert.Equal(text, Redaction.Redact(text));

    [Fact]
    public void Registered_values_without_a_shape_are_masked_and_short_ones_are_not_registered()
    {
        var secret = "webhook-secret-" + Guid.NewGuid().ToString("N");
        Assert.False(Redaction.ContainsSecret("signed with " + secret));

        KnownSecrets.Register(secret);
        KnownSecrets.Register("short");

        Assert.Equal("signed with *** twice ***", Redaction.Redact($"signed with {secret} twice {secret}"));
        Assert.Equal("a short word", Redaction.Redact("a short word"));
        Assert.IsType<RedactedException>(Redaction.RedactException(new InvalidOperationException("bad " + secret)));
    }

    [Fact]
    public void Credentials_in_configuration_are_registered_but_key_vault_names_and_endpoints_are_not()
    {
        var suffix = Guid.NewGuid().ToString("N");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sources:GitHub:WebhookSecret"] = "gh-webhook-" + suffix,
            ["Sources:GitLab:Token"] = "gitlab-token-" + suffix,
            ["Dynatrace:Accounts:0:ClientSecret"] = "oauth-secret-" + suffix,
            ["Dynatrace:Accounts:0:ClientSecretSecretName"] = "kv-name-" + suffix,
            ["Notifications:Generic:Url"] = "https://hooks.example.com/in/" + suffix,
            ["Audit:ConnectionString"] = $"AccountName=a;AccountKey=storage-key-{suffix};TableEndpoint=https://a.table.core.windows.net/",
            ["KeyVault:VaultUri"] = "https://kv-" + suffix + ".vault.azure.net/",
        }).Build();

        KnownSecrets.RegisterFromConfiguration(configuration);

        foreach (var secret in new[] { "gh-webhook-", "gitlab-token-", "oauth-secret-", "storage-key-" })
        {
            Assert.Equal("x *** y", Redaction.Redact($"x {secret}{suffix} y"));
        }

        Assert.Equal("x https://hooks.example.com/in/" + suffix, Redaction.Redact("x https://hooks.example.com/in/" + suffix)!.Replace("***", "https://hooks.example.com/in/" + suffix, StringComparison.Ordinal));
        Assert.DoesNotContain(suffix, Redaction.Redact("posting to https://hooks.example.com/in/" + suffix), StringComparison.Ordinal);
        Assert.Equal("name kv-name-" + suffix, Redaction.Redact("name kv-name-" + suffix));
        Assert.Equal("vault https://kv-" + suffix + ".vault.azure.net/", Redaction.Redact("vault https://kv-" + suffix + ".vault.azure.net/"));
    }

    [Fact]
    public void A_header_collection_logged_as_structured_state_reaches_providers_masked()
    {
        var capture = new LogCapture();
        using var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddTokenRedaction().AddProvider(capture)).BuildServiceProvider();
        var logger = services.GetRequiredService<ILogger<CredentialRedactionTests>>();
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.github.com/");
        request.Headers.Authorization = new("Bearer", "ghu_abcdefghijklmnopqrstuvwxyz0123456789");

        logger.LogTrace("Request headers: {Headers}", request.Headers.ToString());
        logger.LogTrace("Request: {Request}", request);

        Assert.DoesNotContain("abcdefghijklmnopqrstuvwxyz0123456789", capture.AllText, StringComparison.Ordinal);
        Assert.Contains(Redaction.Mask, capture.AllText, StringComparison.Ordinal);
    }
}
