using Microsoft.Extensions.DependencyInjection;
using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Tokens;
using Sandbox = TokenFunctions.DynatraceSandbox.DynatraceSandbox;

namespace TokenFunctions.Engine.IntegrationTests.Dynatrace;

/// <summary>
/// Runs every operation, successes and failures, with logging at Trace for every category (HttpClient and Polly
/// included), and proves no secret reached a log line, a result, or the sandbox's journal.
/// </summary>
public sealed class SecretHygieneTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task No_secret_appears_in_logs_results_or_errors()
    {
        await using var sandbox = await Sandbox.StartAsync(cancellationToken: Ct);
        var environment = sandbox.AddEnvironment("env1");
        var admin = environment.AddManagementToken();
        var spare = environment.AddManagementToken("spare");
        var leaked = environment.AddToken(new SandboxApiTokenSeed { Name = "leaked" });
        var unknownCredential = "dt0c01." + new string('Q', 24) + "." + new string('W', 64);
        var account = sandbox.AddAccount();
        var oauth = account.AddOAuthClient();
        var platform = account.AddPlatformToken();
        var wrongOAuthSecret = oauth.ClientId + "." + new string('Z', 64);

        var config = new DynatraceConfig()
            .Environment("prod", sandbox.EnvironmentBaseUrl("env1"), admin.Secret, spare.Secret)
            .Environment("broken", sandbox.EnvironmentBaseUrl("env1"), unknownCredential)
            .Account("acme", account.Uuid, oauth.ClientId, oauth.ClientSecret, sandbox.SsoTokenEndpoint, sandbox.AccountApiBaseUrl)
            .Account("acme-broken", account.Uuid, oauth.ClientId, wrongOAuthSecret, sandbox.SsoTokenEndpoint, sandbox.AccountApiBaseUrl);
        var logs = new LogCapture();
        await using var services = config.Services(logs);
        var directory = services.GetRequiredService<IDynatraceDirectory>();
        var (prod, broken) = (directory.Environments[0], directory.Environments[1]);
        var (acme, acmeBroken) = (directory.Accounts[0], directory.Accounts[1]);
        var leakedSecret = TokenSecret.Parse(leaked.Secret);
        var texts = new List<string?>();

        void Keep<T>(DynatraceResult<T> result)
        {
            texts.Add(result.ToString());
            texts.Add(result.Error?.ToString());
            texts.AddRange(result.Error?.ConstraintViolations ?? []);
        }

        Keep(await prod.LookupAsync(leakedSecret, Ct));
        Keep(await prod.VerifyWorksAsync(leakedSecret, Ct));
        Keep(await prod.ListAsync(new ApiTokenQuery(), Ct));
        Keep(await prod.SetEnabledAsync(leakedSecret.Id, enabled: false, Ct));
        var created = await prod.CreateAsync(new ApiTokenCreateRequest("replacement", ["metrics.ingest"]), Ct);
        Keep(created);
        Keep(await prod.VerifyWorksAsync(created.Value!.Secret, Ct));
        Keep(await broken.LookupAsync(leakedSecret, Ct));
        Keep(await broken.DeleteAsync(leakedSecret.Id, Ct));
        environment.Faults.Enqueue(SandboxFault.Status(503)).Enqueue(SandboxFault.Reset);
        Keep(await prod.GetAsync(leakedSecret.Id, Ct));
        Keep(await acme.FindAsync(TokenId.Parse(platform.Id), Ct));
        Keep(await acme.SetActiveAsync(TokenId.Parse(platform.Id), active: false, Ct));
        var createdPlatform = await acme.CreateAsync(new PlatformTokenCreateRequest("p", ["storage:logs:read"], [], null), Ct);
        Keep(createdPlatform);
        Keep(await acmeBroken.FindAsync(TokenId.Parse(platform.Id), Ct));
        Keep(await prod.SetEnabledAsync(TokenId.Parse(admin.Id), enabled: false, Ct));
        Assert.False(environment.GetToken(admin.Id)!.Enabled);

        Assert.True(created.IsOk && createdPlatform.IsOk);
        var secrets = new[]
        {
            admin.Secret, spare.Secret, leaked.Secret, unknownCredential, oauth.ClientSecret, wrongOAuthSecret,
            created.Value.Secret.Reveal(), createdPlatform.Value!.Secret.Reveal(),
        };
        var everything = string.Join('\n', texts) + "\n" + logs.All + "\n" + string.Join('\n', sandbox.Requests);
        Assert.Contains("Authorization: *", logs.All, StringComparison.Ordinal);
        Assert.Contains(leakedSecret.Id.Value, everything, StringComparison.Ordinal);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
            Assert.DoesNotContain(secret[(secret.LastIndexOf('.') + 1)..], everything, StringComparison.Ordinal);
        }

        // The sandbox's bearers start with "eyJ"; none may be logged.
        Assert.DoesNotContain("eyJ", everything, StringComparison.Ordinal);
    }
}
