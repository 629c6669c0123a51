using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.IntegrationTests.Dynatrace;

public sealed class EnvironmentTokenClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Lookup_returns_the_metadata_of_a_token_in_this_environment()
    {
        await using var s = await EnvironmentScenario.StartAsync();
        var leaked = s.Environment.AddToken(new SandboxApiTokenSeed { Name = "ci", Owner = "alice@example.com", Scopes = ["metrics.ingest", "logs.ingest"] });

        var result = await s.Client.LookupAsync(TokenSecret.Parse(leaked.Secret), Ct);

        Assert.Equal(DynatraceStatus.Ok, result.Status);
        Assert.Equal(leaked.Id, result.Value!.Id.Value);
        Assert.Equal("alice@example.com", result.Value.Owner);
        Assert.True(result.Value.Enabled);
        Assert.Equal(["metrics.ingest", "logs.ingest"], result.Value.Scopes);
        Assert.NotNull(result.Value.CreationDate);
        Assert.Equal(1, s.Environment.CallCount(SandboxEndpoint.ApiTokensLookup));
    }

    [Fact]
    public async Task Lookup_of_a_token_from_another_environment_is_NotFound_from_the_empty_404()
    {
        await using var s = await EnvironmentScenario.StartAsync();
        var elsewhere = s.Sandbox.AddEnvironment("env2").AddToken();

        var result = await s.Client.LookupAsync(TokenSecret.Parse(elsewhere.Secret), Ct);

        Assert.Equal(DynatraceStatus.NotFound, result.Status);
        Assert.Equal(404, result.Error!.HttpStatus);
        Assert.Equal(1, s.Environment.CallCount(SandboxEndpoint.ApiTokensLookup));
    }

    [Fact]
    public async Task Get_returns_the_token_and_NotFound_for_an_unknown_id()
    {
        await using var s = await EnvironmentScenario.StartAsync();
        var token = s.Environment.AddToken(new SandboxApiTokenSeed { Name = "dash", ExpirationDate = DateTimeOffset.UtcNow.AddDays(3), Scopes = ["ReadConfig"] });

        var found = await s.Client.GetAsync(TokenId.Parse(token.Id), Ct);
        var missing = await s.Client.GetAsync(TokenId.Parse("dt0c01.NOPENOPENOPENOPENOPENOPE"), Ct);

        Assert.True(found.IsOk);
        Assert.Equal("dash", found.Value!.Name);
        Assert.Equal(["ReadConfig"], found.Value.Scopes);
        Assert.NotNull(found.Value.ExpirationDate);
        Assert.Equal(DynatraceStatus.NotFound, missing.Status);
    }

    [Fact]
    public async Task List_pages_through_a_selector_sending_only_nextPageKey_after_the_first_page()
    {
        await using var s = await EnvironmentScenario.StartAsync();
        var alice = s.Environment.AddTokens(250, i => new SandboxApiTokenSeed { Owner = "alice@example.com", Name = $"a{i}", Scopes = ["metrics.read"] });
        s.Environment.AddTokens(40, i => new SandboxApiTokenSeed { Owner = "bob@example.com", Name = $"b{i}" });

        var seen = new List<ApiTokenInfo>();
        var query = new ApiTokenQuery { ApiTokenSelector = "owner(\"alice@example.com\")", PageSize = 100 };
        var pages = 0;
        while (true)
        {
            var page = await s.Client.ListAsync(query, Ct);
            Assert.True(page.IsOk, page.Error?.ToString());
            Assert.Equal(250, page.Value!.TotalCount);
            seen.AddRange(page.Value.Tokens);
            pages++;
            if (page.Value.NextPageKey is not { } next)
            {
                break;
            }

            query = query with { NextPageKey = next };
        }

        Assert.Equal(3, pages);
        Assert.Equal(alice.Select(t => t.Id).Order(), seen.Select(t => t.Id.Value).Order());
        Assert.All(seen, t => Assert.Equal(["metrics.read"], t.Scopes));
        var queries = s.Sandbox.Requests.Where(r => r.Endpoint == SandboxEndpoint.ApiTokensList).Select(r => r.Query).ToList();
        Assert.Contains("apiTokenSelector=", queries[0], StringComparison.Ordinal);
        Assert.Contains("pageSize=100", queries[0], StringComparison.Ordinal);
        Assert.All(queries.Skip(1), q => Assert.Matches("^\\?nextPageKey=[^&]+$", q));
    }

    [Fact]
    public async Task List_with_an_invalid_page_size_is_BadRequest_with_the_constraint_violation()
    {
        await using var s = await EnvironmentScenario.StartAsync();

        var result = await s.Client.ListAsync(new ApiTokenQuery { PageSize = 50 }, Ct);

        Assert.Equal(DynatraceStatus.BadRequest, result.Status);
        Assert.Contains(result.Error!.ConstraintViolations!, v => v.StartsWith("pageSize:", StringComparison.Ordinal));
        Assert.Equal(1, s.Environment.CallCount(SandboxEndpoint.ApiTokensList));
    }

    [Fact]
    public async Task Disable_then_enable_with_v2_flips_the_token()
    {
        await using var s = await EnvironmentScenario.StartAsync();
        var token = s.Environment.AddToken();
        var id = TokenId.Parse(token.Id);

        var disabled = await s.Client.SetEnabledAsync(id, enabled: false, Ct);
        Assert.True(disabled.IsOk);
        Assert.False(s.Environment.GetToken(token.Id)!.Enabled);

        var enabled = await s.Client.SetEnabledAsync(id, enabled: true, Ct);
        Assert.True(enabled.IsOk);
        Assert.True(s.Environment.GetToken(token.Id)!.Enabled);
        Assert.Equal(2, s.Environment.CallCount(SandboxEndpoint.ApiTokensUpdate));
        Assert.Equal(0, s.Environment.CallCount(SandboxEndpoint.V1TokensUpdate));
    }

    [Fact]
    public async Task Disable_with_v1_revokes_through_the_v1_endpoint_only()
    {
        await using var s = await EnvironmentScenario.StartAsync(disableApi: DisableApi.V1);
        var token = s.Environment.AddToken();

        var result = await s.Client.SetEnabledAsync(TokenId.Parse(token.Id), enabled: false, Ct);

        Assert.True(result.IsOk, result.Error?.ToString());
        Assert.False(s.Environment.GetToken(token.Id)!.Enabled);
        Assert.Equal(1, s.Environment.CallCount(SandboxEndpoint.V1TokensUpdate));
        Assert.Equal(0, s.Environment.CallCount(SandboxEndpoint.ApiTokensUpdate));
    }

    [Fact]
    public async Task Disabling_an_unknown_token_is_NotFound()
    {
        await using var s = await EnvironmentScenario.StartAsync();

        var result = await s.Client.SetEnabledAsync(TokenId.Parse("dt0c01.NOPENOPENOPENOPENOPENOPE"), enabled: false, Ct);

        Assert.Equal(DynatraceStatus.NotFound, result.Status);
    }

    [Fact]
    public async Task Create_returns_a_working_secret_owned_by_the_management_credentials_owner()
    {
        await using var s = await EnvironmentScenario.StartAsync();
        var expiry = DateTimeOffset.UtcNow.AddDays(30);

        var created = await s.Client.CreateAsync(new ApiTokenCreateRequest("rotated-ci", ["metrics.ingest"], expiry), Ct);

        Assert.True(created.IsOk, created.Error?.ToString());
        var state = s.Environment.GetToken(created.Value!.Id.Value)!;
        Assert.Equal("rotated-ci", state.Name);
        Assert.Equal("security@example.com", state.Owner);
        Assert.Equal(expiry.ToUnixTimeMilliseconds(), state.ExpirationDate!.Value.ToUnixTimeMilliseconds());
        Assert.Equal(created.Value.Id, created.Value.Secret.Id);
        var verified = await s.Client.VerifyWorksAsync(created.Value.Secret, Ct);
        Assert.True(verified.IsOk);
        Assert.Equal(created.Value.Id, verified.Value!.Id);
    }

    [Fact]
    public async Task VerifyWorks_authenticates_with_the_token_itself_and_fails_for_a_disabled_one()
    {
        await using var s = await EnvironmentScenario.StartAsync();
        var token = s.Environment.AddToken(new SandboxApiTokenSeed { Scopes = ["metrics.ingest"] });
        s.Environment.SetEnabled(token.Id, false);

        var result = await s.Client.VerifyWorksAsync(TokenSecret.Parse(token.Secret), Ct);

        Assert.Equal(DynatraceStatus.Unauthorized, result.Status);
        Assert.Contains(s.Sandbox.Requests, r => r.Endpoint == SandboxEndpoint.ApiTokensLookup && r.StatusCode == 401);
    }

    [Fact]
    public async Task Delete_removes_the_token_and_a_second_delete_is_NotFound()
    {
        await using var s = await EnvironmentScenario.StartAsync();
        var token = s.Environment.AddToken();
        var id = TokenId.Parse(token.Id);

        var first = await s.Client.DeleteAsync(id, Ct);
        var second = await s.Client.DeleteAsync(id, Ct);

        Assert.True(first.IsOk);
        Assert.Null(s.Environment.GetToken(token.Id));
        Assert.Equal(DynatraceStatus.NotFound, second.Status);
    }

    [Fact]
    public async Task Disabling_our_own_credential_goes_straight_to_the_secondary_credential()
    {
        await using var s = await EnvironmentScenario.StartAsync(secondary: true);

        var result = await s.Client.SetEnabledAsync(TokenId.Parse(s.Admin.Id), enabled: false, Ct);

        // We hold the primary's secret, so we know Dynatrace would refuse it: no doomed request with it first.
        Assert.True(result.IsOk, result.Error?.ToString());
        Assert.False(s.Environment.GetToken(s.Admin.Id)!.Enabled);
        var update = Assert.Single(s.Sandbox.Requests, r => r.Endpoint == SandboxEndpoint.ApiTokensUpdate);
        Assert.Equal((204, s.Spare!.Id), (update.StatusCode, update.CallerId));
        Assert.DoesNotContain(s.Sandbox.Requests, r => r.CallerId == s.Admin.Id && r.Endpoint == SandboxEndpoint.ApiTokensUpdate);
    }

    [Fact]
    public async Task Revoking_our_own_credential_through_v1_also_goes_straight_to_the_secondary()
    {
        await using var s = await EnvironmentScenario.StartAsync(secondary: true, disableApi: DisableApi.V1);

        var result = await s.Client.SetEnabledAsync(TokenId.Parse(s.Admin.Id), enabled: false, Ct);

        Assert.True(result.IsOk, result.Error?.ToString());
        Assert.Equal(s.Spare!.Id, Assert.Single(s.Sandbox.Requests, r => r.Endpoint == SandboxEndpoint.V1TokensUpdate).CallerId);
        Assert.False(s.Environment.GetToken(s.Admin.Id)!.Enabled);
    }

    [Fact]
    public async Task Deleting_our_own_credential_uses_only_the_secondary()
    {
        await using var s = await EnvironmentScenario.StartAsync(secondary: true);

        var result = await s.Client.DeleteAsync(TokenId.Parse(s.Admin.Id), Ct);

        Assert.True(result.IsOk, result.Error?.ToString());
        Assert.Null(s.Environment.GetToken(s.Admin.Id));
        Assert.Equal(s.Spare!.Id, Assert.Single(s.Sandbox.Requests, r => r.Endpoint == SandboxEndpoint.ApiTokensDelete).CallerId);
    }

    [Fact]
    public async Task Writing_another_token_with_a_secondary_configured_uses_the_primary_alone()
    {
        await using var s = await EnvironmentScenario.StartAsync(secondary: true);
        var token = s.Environment.AddToken();

        var result = await s.Client.SetEnabledAsync(TokenId.Parse(token.Id), enabled: false, Ct);

        Assert.True(result.IsOk, result.Error?.ToString());
        Assert.Equal(s.Admin.Id, Assert.Single(s.Sandbox.Requests, r => r.Endpoint == SandboxEndpoint.ApiTokensUpdate).CallerId);
    }

    [Fact]
    public async Task Disabling_our_own_credential_without_a_secondary_is_OwnCredential_without_sending_the_PUT()
    {
        await using var s = await EnvironmentScenario.StartAsync();

        var result = await s.Client.SetEnabledAsync(TokenId.Parse(s.Admin.Id), enabled: false, Ct);

        // Dynatrace would refuse it (400): a request known to fail for our own token is not sent.
        Assert.Equal(DynatraceStatus.OwnCredential, result.Status);
        Assert.Contains("SecondaryCredential", result.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was sent", result.Error.Message, StringComparison.Ordinal);
        Assert.True(s.Environment.GetToken(s.Admin.Id)!.Enabled);
        Assert.Equal(0, s.Environment.CallCount(SandboxEndpoint.ApiTokensUpdate));
    }

    [Fact]
    public async Task An_unknown_credential_is_Unauthorized_and_not_retried()
    {
        await using var s = await EnvironmentScenario.StartAsync();
        s.Environment.SetEnabled(s.Admin.Id, false);
        var token = s.Environment.AddToken();

        var result = await s.Client.SetEnabledAsync(TokenId.Parse(token.Id), enabled: false, Ct);

        Assert.Equal(DynatraceStatus.Unauthorized, result.Status);
        Assert.Equal(401, result.Error!.HttpStatus);
        Assert.Equal(1, s.Environment.CallCount(SandboxEndpoint.ApiTokensUpdate));
        Assert.True(s.Environment.GetToken(token.Id)!.Enabled);
    }

    [Fact]
    public async Task A_credential_without_the_write_scope_is_Forbidden_and_not_retried()
    {
        await using var sandbox = await TokenFunctions.DynatraceSandbox.DynatraceSandbox.StartAsync(cancellationToken: Ct);
        var environment = sandbox.AddEnvironment("env1");
        var readOnly = environment.AddToken(new SandboxApiTokenSeed { Scopes = ["apiTokens.read"] });
        var token = environment.AddToken();
        await using var services = new DynatraceConfig().Environment("prod", sandbox.EnvironmentBaseUrl("env1"), readOnly.Secret).Services(new LogCapture());
        var client = services.GetRequiredServiceDirectory().Environments[0];

        var result = await client.SetEnabledAsync(TokenId.Parse(token.Id), enabled: false, Ct);

        Assert.Equal(DynatraceStatus.Forbidden, result.Status);
        Assert.Contains("apiTokens.write", result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(1, environment.CallCount(SandboxEndpoint.ApiTokensUpdate));
    }

    [Fact]
    public async Task An_expired_management_credential_is_Unauthorized()
    {
        await using var s = await EnvironmentScenario.StartAsync();
        s.Environment.SetExpiration(s.Admin.Id, DateTimeOffset.UtcNow.AddMinutes(-1));

        var result = await s.Client.GetAsync(TokenId.Parse(s.Admin.Id), Ct);

        Assert.Equal(DynatraceStatus.Unauthorized, result.Status);
    }
}
