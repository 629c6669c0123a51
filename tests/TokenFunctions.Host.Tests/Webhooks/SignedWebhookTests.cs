using System.Net;
using System.Text.Json;
using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Engine.Tests.Sources.Support;
using TokenFunctions.Host.Tests.Hosting;

namespace TokenFunctions.Host.Tests.Webhooks;

/// <summary>
/// Each webhook source, signed as the scanner signs it, into the running worker through the host's HTTP forwarding:
/// the leaked token ends disabled in the sandbox and the audit trail in Azurite has the row; a bad signature is 401
/// and Dynatrace is never called.
/// </summary>
[Collection(HostedAppCollection.Name)]
public sealed class SignedWebhookTests(HostedApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GitHub_secret_scanning_alert_disables_the_token_audits_it_and_resolves_the_alert()
    {
        var token = app.Env1.AddToken(new SandboxApiTokenSeed { Name = "leaked-github" });
        app.GitHub.AlertSecret = app.Leaked(token);
        var body = SamplePayloads.GitHubAlert(number: 101);

        using var response = await app.Http.SendAsync(SignedRequests.GitHubAlert(app.Settings["Sources:GitHub:WebhookSecret"]!, body, "hosted-github-1"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await app.QueueDrainedAsync();
        Assert.False(app.Env1.GetToken(token.Id)!.Enabled);
        await AssertAuditedDisabledAsync(token.Id, "github-alert");
        var patch = Assert.Single(app.GitHub.Requests, r => r.Method == "PATCH" && r.Path.EndsWith("/alerts/101", StringComparison.Ordinal));
        using var json = JsonDocument.Parse(patch.Body);
        Assert.Equal("resolved", json.RootElement.GetProperty("state").GetString());
    }

    [Fact]
    public async Task GitHub_partner_report_signed_with_ecdsa_disables_the_token()
    {
        var token = app.Env2.AddToken(new SandboxApiTokenSeed { Name = "leaked-partner" });
        var body = SamplePayloads.Partner((app.Leaked(token), "dynatrace_api_token"));

        using var response = await app.Http.SendAsync(SignedRequests.GitHubPartner(app.PartnerKey, app.PartnerKeyId, body), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await app.QueueDrainedAsync();
        Assert.Contains("true_positive", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.False(app.Env2.GetToken(token.Id)!.Enabled);
        await AssertAuditedDisabledAsync(token.Id, "github-partner");
    }

    [Fact]
    public async Task Generic_scanner_report_disables_the_token()
    {
        var token = app.Env1.AddToken(new SandboxApiTokenSeed { Name = "leaked-generic" });
        var body = SamplePayloads.Generic([app.Leaked(token)], id: "hosted-generic-1");

        using var response = await app.Http.SendAsync(SignedRequests.Generic(app.Settings["Sources:Generic:Secret"]!, body, DateTimeOffset.UtcNow), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await app.QueueDrainedAsync();
        Assert.False(app.Env1.GetToken(token.Id)!.Enabled);
        await AssertAuditedDisabledAsync(token.Id, "generic");
    }

    [Fact]
    public async Task GitLab_revocation_request_disables_the_token()
    {
        var token = app.Env2.AddToken(new SandboxApiTokenSeed { Name = "leaked-gitlab" });
        var body = SamplePayloads.GitLab(("dynatrace_api_token", app.Leaked(token)));

        using var response = await app.Http.SendAsync(SignedRequests.GitLab(app.Settings["Sources:GitLab:Token"]!, body), Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await app.QueueDrainedAsync();
        Assert.False(app.Env2.GetToken(token.Id)!.Enabled);
        await AssertAuditedDisabledAsync(token.Id, "gitlab");
    }

    [Fact]
    public async Task GitGuardian_incident_naming_a_managed_credential_by_its_hash_disables_it_and_replaces_it_in_Key_Vault()
    {
        var token = app.Env1.AddToken(new SandboxApiTokenSeed { Name = "ci ingest", Owner = "alice@example.com", Scopes = ["metrics.ingest"] });
        var enrolled = app.Vault.Seed("hosted-gitguardian", app.Leaked(token), ManagedCredential.Tags(token, "env1"));
        var body = SamplePayloads.GitGuardian(secretHash: ManagedCredential.Fingerprint(token.Secret));

        using var response = await app.Http.SendAsync(SignedRequests.GitGuardian(app.Settings["Sources:GitGuardian:SignatureToken"]!, body, DateTimeOffset.UtcNow), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await app.QueueDrainedAsync();
        Assert.False(app.Env1.GetToken(token.Id)!.Enabled);
        await AssertAuditedDisabledAsync(token.Id, "gitguardian");

        // The leaked credential was one this app manages: a replacement went into Key Vault through the real SecretClient.
        var latest = app.Vault.Latest("hosted-gitguardian")!;
        Assert.NotEqual(enrolled.Version, latest.Version);
        Assert.Equal(token.Id, latest.Tags["tf-previous-token-id"]);
        Assert.True(app.Env1.GetToken(latest.Tags["tf-token-id"])!.Enabled);
        app.Leaked(new SandboxIssuedToken(latest.Tags["tf-token-id"], latest.Value));
    }

    [Fact]
    public async Task A_bad_signature_on_any_source_is_401_and_Dynatrace_is_never_called()
    {
        var token = app.Env1.AddToken(new SandboxApiTokenSeed { Name = "never-touched" });
        var secret = app.Leaked(token);
        app.GitHub.AlertSecret = secret;
        var callsBefore = DynatraceCalls();

        HttpRequestMessage[] forged =
        [
            SignedRequests.GitHubAlert("not-the-secret", SamplePayloads.GitHubAlert(number: 102), "hosted-forged-1"),
            SignedRequests.GitHubPartner(Forger(), app.PartnerKeyId, SamplePayloads.Partner((secret, "dynatrace_api_token"))),
            SignedRequests.Generic("not-the-secret", SamplePayloads.Generic([secret], id: "hosted-forged-2"), DateTimeOffset.UtcNow),
            SignedRequests.GitLab("not-the-token", SamplePayloads.GitLab(("dynatrace_api_token", secret))),
            SignedRequests.GitGuardian("not-the-token", SamplePayloads.GitGuardian(), DateTimeOffset.UtcNow),
        ];
        foreach (var request in forged)
        {
            using (request)
            using (var response = await app.Http.SendAsync(request, Ct))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                Assert.DoesNotContain(secret, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            }
        }

        Assert.Equal(callsBefore, DynatraceCalls());
        Assert.True(app.Env1.GetToken(token.Id)!.Enabled);
        Assert.Empty(await app.AuditRowsAsync(token.Id));
    }

    private static System.Security.Cryptography.ECDsa Forger() => System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);

    private long DynatraceCalls() => app.Env1.TotalCalls + app.Env2.TotalCalls + app.Sandbox.SsoCallCount
        + Enum.GetValues<SandboxEndpoint>().Sum(e => app.Account.CallCount(e));

    private async Task AssertAuditedDisabledAsync(string tokenId, string source)
    {
        var rows = await app.AuditRowsAsync(tokenId);
        var row = Assert.Single(rows, r => r.GetString("Action") == "disable");
        Assert.Equal("Disabled", row.GetString("Outcome"));
        Assert.Equal(source, row.GetString("Source"), ignoreCase: true);
        Assert.All(rows, r => Assert.All(r, field => Assert.DoesNotContain(tokenId + ".", field.Value?.ToString() ?? string.Empty, StringComparison.Ordinal)));
    }
}
