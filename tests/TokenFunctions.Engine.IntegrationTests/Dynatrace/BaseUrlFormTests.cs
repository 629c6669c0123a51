using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Tokens;
using Sandbox = TokenFunctions.DynatraceSandbox.DynatraceSandbox;

namespace TokenFunctions.Engine.IntegrationTests.Dynatrace;

/// <summary>SaaS (<c>https://{env}.live.dynatrace.com/</c>) and Managed (<c>https://{domain}/e/{env}/</c>) base URLs, several at once.</summary>
public sealed class BaseUrlFormTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Several_environments_in_both_URL_forms_and_several_accounts_each_reach_their_own_tenant()
    {
        await using var sandbox = await Sandbox.StartAsync(cancellationToken: Ct);
        var saas = sandbox.AddEnvironment("saas1");
        var other = sandbox.AddEnvironment("managed2");
        var managed = sandbox.AddEnvironment("managed1");
        var (saasAdmin, otherAdmin, managedAdmin) = (saas.AddManagementToken(), other.AddManagementToken(), managed.AddManagementToken());
        var accountA = sandbox.AddAccount();
        var accountB = sandbox.AddAccount();
        var (clientA, clientB) = (accountA.AddOAuthClient(), accountB.AddOAuthClient());
        var managedWithoutSlash = new Uri(sandbox.EnvironmentBaseUrl("managed1").ToString().TrimEnd('/'));
        Assert.False(managedWithoutSlash.AbsolutePath.EndsWith('/'));

        var config = new DynatraceConfig()
            // SaaS form: the API hangs off the root (https://{env}.live.dynatrace.com/); the sandbox serves its default environment there.
            .Environment("SaaS", sandbox.BaseUrl, saasAdmin.Secret)
            .Environment("Managed 2", sandbox.EnvironmentBaseUrl("managed2"), otherAdmin.Secret)
            .Environment("Managed", managedWithoutSlash, managedAdmin.Secret)
            .Account("account A", accountA.Uuid, clientA.ClientId, clientA.ClientSecret, sandbox.SsoTokenEndpoint, sandbox.AccountApiBaseUrl)
            .Account("account B", accountB.Uuid, clientB.ClientId, clientB.ClientSecret, sandbox.SsoTokenEndpoint, sandbox.AccountApiBaseUrl);
        await using var services = config.Services(new LogCapture());
        var directory = services.GetRequiredServiceDirectory();

        Assert.Equal(["SaaS", "Managed 2", "Managed"], directory.Environments.Select(e => e.Environment.Name));
        Assert.Equal(["account A", "account B"], directory.Accounts.Select(a => a.Account.Name));
        Assert.EndsWith("/e/managed1/", directory.Environments[2].Environment.ApiBaseUrl.AbsolutePath, StringComparison.Ordinal);

        foreach (var (client, environment) in directory.Environments.Zip([saas, other, managed]))
        {
            var token = environment.AddToken();
            var result = await client.SetEnabledAsync(TokenId.Parse(token.Id), enabled: false, Ct);
            Assert.True(result.IsOk, $"{client.Environment.Name}: {result.Error}");
            Assert.False(environment.GetToken(token.Id)!.Enabled);
            Assert.Equal(1, environment.CallCount(SandboxEndpoint.ApiTokensUpdate));
        }

        Assert.Equal(
            ["/api/v2/apiTokens/", "/e/managed2/api/v2/apiTokens/", "/e/managed1/api/v2/apiTokens/"],
            sandbox.Requests.Where(r => r.Endpoint == SandboxEndpoint.ApiTokensUpdate).Select(r => r.Path[..(r.Path.LastIndexOf('/') + 1)]));

        foreach (var (client, account) in directory.Accounts.Zip([accountA, accountB]))
        {
            var token = account.AddPlatformToken();
            Assert.True((await client.SetActiveAsync(TokenId.Parse(token.Id), active: false, Ct)).IsOk);
            Assert.False(account.GetPlatformToken(token.Id)!.IsActive);
            Assert.Equal(1, account.CallCount(SandboxEndpoint.OAuthToken));
        }
    }

    [Fact]
    public async Task A_token_of_another_environment_is_NotFound_in_each_of_the_others()
    {
        await using var sandbox = await Sandbox.StartAsync(cancellationToken: Ct);
        var environments = sandbox.AddEnvironments(3);
        var config = new DynatraceConfig();
        foreach (var (environment, credential) in environments)
        {
            config.Environment(environment.Id, sandbox.EnvironmentBaseUrl(environment.Id), credential.Secret);
        }

        await using var services = config.Services(new LogCapture());
        var leaked = TokenSecret.Parse(environments[2].Environment.AddToken().Secret);

        var results = await Task.WhenAll(services.GetRequiredServiceDirectory().Environments.Select(c => c.LookupAsync(leaked, Ct)));

        Assert.Equal([DynatraceStatus.NotFound, DynatraceStatus.NotFound, DynatraceStatus.Ok], results.Select(r => r.Status));
    }
}
