using System.Net;
using System.Text.Json;
using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Engine.Tests.Sources.Support;
using TokenFunctions.Host.Tests.Hosting;
using TokenFunctions.WorkerHost.Worker;

namespace TokenFunctions.Host.Tests.Security;

/// <summary>
/// Nothing the worker logs (RpcLog) or prints (stdout, stderr) holds a secret it was given: token secrets it was handed
/// in webhooks, the webhook secrets, the OAuth client secret, the GitHub token, the management tokens, the identity
/// header. The workload here touches every function, failures included; the scan covers every line since the worker
/// started, so whatever the other scenarios of this collection did is covered too.
/// </summary>
[Collection(HostedAppCollection.Name)]
public sealed class WorkerOutputSecretTests(HostedApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task No_secret_the_worker_was_given_is_in_its_RpcLog_stdout_or_stderr()
    {
        var github = app.Env1.AddToken(new SandboxApiTokenSeed { Name = "scan-github" });
        var partner = app.Env2.AddToken(new SandboxApiTokenSeed { Name = "scan-partner" });
        var generic = app.Env1.AddToken(new SandboxApiTokenSeed { Name = "scan-generic" });
        var gitlab = app.Env2.AddToken(new SandboxApiTokenSeed { Name = "scan-gitlab" });
        app.GitHub.AlertSecret = app.Leaked(github);
        var webhookSecret = app.Settings["Sources:GitHub:WebhookSecret"]!;

        await SendAsync(SignedRequests.GitHubAlert(webhookSecret, SamplePayloads.GitHubAlert(number: 301), "scan-1"), HttpStatusCode.OK);
        await SendAsync(SignedRequests.GitHubAlert("wrong", SamplePayloads.GitHubAlert(number: 302), "scan-2"), HttpStatusCode.Unauthorized);
        await SendAsync(SignedRequests.GitHubPartner(app.PartnerKey, app.PartnerKeyId, SamplePayloads.Partner((app.Leaked(partner), "dynatrace_api_token"))), HttpStatusCode.OK);
        await SendAsync(SignedRequests.Generic(app.Settings["Sources:Generic:Secret"]!, SamplePayloads.Generic([app.Leaked(generic)], id: "scan-3"), DateTimeOffset.UtcNow), HttpStatusCode.OK);
        await SendAsync(SignedRequests.GitLab(app.Settings["Sources:GitLab:Token"]!, SamplePayloads.GitLab(("dynatrace_api_token", app.Leaked(gitlab)))), HttpStatusCode.NoContent);
        await SendAsync(SignedRequests.GitGuardian(app.Settings["Sources:GitGuardian:SignatureToken"]!, SamplePayloads.GitGuardian(secretHash: new string('0', 64)), DateTimeOffset.UtcNow), HttpStatusCode.OK);

        // A token whose every Dynatrace call fails logs its errors; a rejected GitHub token logs GitHub's answer.
        var failing = app.Env1.AddToken(new SandboxApiTokenSeed { Name = "scan-failing" });
        app.Env1.Faults.SetPersistent(SandboxFault.Status(HttpStatusCode.InternalServerError));
        try
        {
            await SendAsync(SignedRequests.Generic(app.Settings["Sources:Generic:Secret"]!, SamplePayloads.Generic([app.Leaked(failing)], id: "scan-4"), DateTimeOffset.UtcNow), null);
        }
        finally
        {
            app.Env1.Faults.SetPersistent(null);
        }

        var messageId = await app.SendIncidentAsync(JsonSerializer.Serialize(new
        {
            version = 1,
            type = "disable",
            incidentId = "HOSTED-SCAN-1",
            requestedBy = "soc@example.com",
            tokens = new[] { app.Leaked(app.Env1.AddToken(new SandboxApiTokenSeed { Name = "scan-queue" })) },
        }));
        await app.WaitForDeliveryAsync(d => d.MessageId == messageId && d.Settlement is not null);

        foreach (var timer in new[] { "ScheduledRotationTimer", "SweepTimer", "ReconciliationTimer", "HygieneReportTimer" })
        {
            (await app.Host.FireTimerAsync(timer, cancellationToken: Ct)).EnsureSucceeded();
        }

        using (var audit = new HttpRequestMessage(HttpMethod.Get, "api/audit?tokenId=" + github.Id))
        using (var answer = await app.Http.SendAsync(audit, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Contains(github.Id, await answer.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        Assert.Contains(app.Host.Log.Lines, l => l.Source == "rpc" && l.Message.Contains(github.Id, StringComparison.Ordinal));
        SecretScan.AssertNothingLeaked(app);
    }

    private async Task SendAsync(HttpRequestMessage request, HttpStatusCode? expected)
    {
        using (request)
        using (var response = await app.Http.SendAsync(request, Ct))
        {
            if (expected is { } status)
            {
                Assert.Equal(status, response.StatusCode);
            }
        }
    }
}
