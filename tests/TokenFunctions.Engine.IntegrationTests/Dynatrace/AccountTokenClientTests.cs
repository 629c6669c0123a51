using Microsoft.Extensions.Time.Testing;
using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.IntegrationTests.Dynatrace;

public sealed class AccountTokenClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_OAuth_bearer_is_fetched_once_and_reused()
    {
        await using var s = await AccountScenario.StartAsync();
        var token = s.Account.AddPlatformToken(new SandboxPlatformTokenSeed { Name = "k8s" });

        for (var i = 0; i < 3; i++)
        {
            Assert.True((await s.Client.FindAsync(TokenId.Parse(token.Id), Ct)).IsOk);
        }

        Assert.Equal(1, s.Sandbox.SsoCallCount);
        Assert.Equal(3, s.Account.CallCount(SandboxEndpoint.PlatformTokensList));
        var sso = Assert.Single(s.Sandbox.Requests, r => r.Endpoint == SandboxEndpoint.OAuthToken);
        Assert.Equal((200, s.OAuthClient.ClientId), (sso.StatusCode, sso.CallerId));
    }

    [Fact]
    public async Task Concurrent_first_calls_share_one_bearer_fetch()
    {
        await using var s = await AccountScenario.StartAsync();
        var tokens = Enumerable.Range(0, 8).Select(i => s.Account.AddPlatformToken(new SandboxPlatformTokenSeed { Name = $"t{i}", UserUuid = $"user-{i}" })).ToList();

        var results = await Task.WhenAll(tokens.Select(t => s.Client.SetActiveAsync(TokenId.Parse(t.Id), active: false, Ct)));

        Assert.All(results, r => Assert.True(r.IsOk, r.Error?.ToString()));
        Assert.Equal(1, s.Sandbox.SsoCallCount);
    }

    [Fact]
    public async Task The_bearer_is_fetched_again_a_minute_before_it_expires()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var s = await AccountScenario.StartAsync(time);
        var id = TokenId.Parse(s.Account.AddPlatformToken().Id);

        Assert.True((await s.Client.FindAsync(id, Ct)).IsOk);
        time.Advance(TimeSpan.FromSeconds(239));
        Assert.True((await s.Client.FindAsync(id, Ct)).IsOk);
        Assert.Equal(1, s.Sandbox.SsoCallCount);

        time.Advance(TimeSpan.FromSeconds(2));
        Assert.True((await s.Client.FindAsync(id, Ct)).IsOk);
        Assert.Equal(2, s.Sandbox.SsoCallCount);
    }

    [Fact]
    public async Task A_bearer_the_API_refuses_is_replaced_once_and_the_call_succeeds()
    {
        await using var s = await AccountScenario.StartAsync();
        var id = TokenId.Parse(s.Account.AddPlatformToken().Id);
        Assert.True((await s.Client.FindAsync(id, Ct)).IsOk);
        s.Account.RevokeBearers();

        var result = await s.Client.SetActiveAsync(id, active: false, Ct);

        Assert.True(result.IsOk, result.Error?.ToString());
        Assert.Equal(2, s.Sandbox.SsoCallCount);
        Assert.Equal([401, 204], s.Sandbox.Requests.Where(r => r.Endpoint == SandboxEndpoint.PlatformTokensStatus).Select(r => r.StatusCode));
    }

    [Fact]
    public async Task Wrong_client_credentials_are_Unauthorized_without_retries()
    {
        await using var s = await AccountScenario.StartAsync(wrongPrimarySecret: true);
        var id = TokenId.Parse(s.Account.AddPlatformToken().Id);

        var result = await s.Client.SetActiveAsync(id, active: false, Ct);

        Assert.Equal(DynatraceStatus.Unauthorized, result.Status);
        Assert.Equal(400, result.Error!.HttpStatus);
        Assert.Contains("invalid_client", result.Error.Message, StringComparison.Ordinal);
        Assert.Equal(1, s.Sandbox.SsoCallCount);
        Assert.Equal(0, s.Account.CallCount(SandboxEndpoint.PlatformTokensStatus));
        Assert.True(s.Account.GetPlatformToken(id.Value)!.IsActive);
    }

    [Fact]
    public async Task Wrong_primary_client_credentials_fall_back_to_the_secondary_client()
    {
        await using var s = await AccountScenario.StartAsync(secondary: true, wrongPrimarySecret: true);
        var id = TokenId.Parse(s.Account.AddPlatformToken().Id);

        var result = await s.Client.SetActiveAsync(id, active: false, Ct);

        Assert.True(result.IsOk, result.Error?.ToString());
        Assert.Equal([s.OAuthClient.ClientId, s.SpareClient!.ClientId], s.Sandbox.Requests.Where(r => r.Endpoint == SandboxEndpoint.OAuthToken).Select(r => r.CallerId));
        Assert.Equal(s.SpareClient.ClientId, s.Sandbox.Requests.Single(r => r.Endpoint == SandboxEndpoint.PlatformTokensStatus).CallerId);
    }

    [Theory]
    [InlineData(204)]
    [InlineData(200)]
    public async Task Deactivating_accepts_either_documented_success_code(int successCode)
    {
        await using var s = await AccountScenario.StartAsync();
        s.Account.StatusSuccessCode = successCode;
        var id = TokenId.Parse(s.Account.AddPlatformToken().Id);

        var inactive = await s.Client.SetActiveAsync(id, active: false, Ct);
        Assert.True(inactive.IsOk, inactive.Error?.ToString());
        Assert.Equal("INACTIVE", s.Account.GetPlatformToken(id.Value)!.Status);

        var active = await s.Client.SetActiveAsync(id, active: true, Ct);
        Assert.True(active.IsOk);
        Assert.Equal("ACTIVE", s.Account.GetPlatformToken(id.Value)!.Status);
        Assert.All(s.Sandbox.Requests.Where(r => r.Endpoint == SandboxEndpoint.PlatformTokensStatus), r => Assert.Equal(successCode, r.StatusCode));
    }

    [Fact]
    public async Task Deactivating_an_unknown_token_is_Unaddressable_until_the_id_form_is_known_then_NotFound()
    {
        await using var s = await AccountScenario.StartAsync();
        s.Account.AddPlatformToken();

        // A 404 under a dt0s16 id proves nothing while the account's id form is unknown (it may use ids of its own).
        var unknownForm = await s.Client.SetActiveAsync(TokenId.Parse("dt0s16.NOPENOPE"), active: false, Ct);
        Assert.Equal(DynatraceStatus.Unaddressable, unknownForm.Status);
        Assert.Contains("id form unknown", unknownForm.Error!.Message, StringComparison.Ordinal);

        Assert.True((await s.Client.ListAsync(new PlatformTokenQuery(Size: 1), Ct)).IsOk);
        var result = await s.Client.SetActiveAsync(TokenId.Parse("dt0s16.NOPENOPE"), active: false, Ct);

        Assert.Equal(DynatraceStatus.NotFound, result.Status);
        Assert.Equal(PlatformIdForm.Prefixed, s.Client.Readings.IdForm);
    }

    [Fact]
    public async Task Create_returns_the_new_secret_and_the_account_holds_the_token()
    {
        await using var s = await AccountScenario.StartAsync();
        var expiry = DateTimeOffset.UtcNow.AddDays(90);

        var result = await s.Client.CreateAsync(
            new PlatformTokenCreateRequest("ingest-rotated", ["storage:logs:write"], ["urn:dtenvironment:abc12345"], expiry, ["rotated"]), Ct);

        Assert.True(result.IsOk, result.Error?.ToString());
        Assert.Equal(TokenKind.PlatformToken, result.Value!.Id.Kind);
        var state = s.Account.GetPlatformToken(result.Value.Id.Value)!;
        Assert.Equal("ingest-rotated", state.Name);
        Assert.Equal(["storage:logs:write"], state.Scopes);
        Assert.Equal(["urn:dtenvironment:abc12345"], state.Resources);
        Assert.Equal(["rotated"], state.Tags);
        Assert.Equal(expiry.ToUnixTimeMilliseconds(), state.ExpirationDate!.Value.ToUnixTimeMilliseconds());
        Assert.Equal(s.OAuthClient.UserUuid, state.UserUuid);
    }

    [Fact]
    public async Task Delete_removes_the_token_and_a_second_delete_is_NotFound()
    {
        await using var s = await AccountScenario.StartAsync();
        var id = TokenId.Parse(s.Account.AddPlatformToken().Id);

        var first = await s.Client.DeleteAsync(id, Ct);
        var second = await s.Client.DeleteAsync(id, Ct);

        Assert.True(first.IsOk, first.Error?.ToString());
        Assert.Null(s.Account.GetPlatformToken(id.Value));
        Assert.Equal(DynatraceStatus.NotFound, second.Status);
    }

    [Fact]
    public async Task Find_picks_the_exact_id_among_search_matches_and_reads_every_field()
    {
        await using var s = await AccountScenario.StartAsync();
        var target = s.Account.AddPlatformToken(new SandboxPlatformTokenSeed
        {
            Id = "dt0s16.ABCD1234",
            Name = "target",
            Description = "the one",
            Scopes = ["storage:logs:read"],
            Resources = ["urn:dtenvironment:abc12345"],
            Tags = ["team-a"],
            ExpirationDate = DateTimeOffset.UtcNow.AddDays(5),
            UserUuid = "user-1",
        });

        // Matches the search term by name and by a longer id, but is not the token.
        s.Account.AddPlatformToken(new SandboxPlatformTokenSeed { Id = "dt0s16.ABCD12345", Name = "decoy-1", UserUuid = "user-2" });
        s.Account.AddPlatformToken(new SandboxPlatformTokenSeed { Name = "copy of dt0s16.ABCD1234", UserUuid = "user-3" });

        var found = await s.Client.FindAsync(TokenId.Parse(target.Id), Ct);

        Assert.True(found.IsOk, found.Error?.ToString());
        Assert.Equal("target", found.Value!.Name);
        Assert.Equal("the one", found.Value.Description);
        Assert.Equal("ACTIVE", found.Value.Status);
        Assert.True(found.Value.IsActive);
        Assert.Equal(["storage:logs:read"], found.Value.Scopes);
        Assert.Equal(["urn:dtenvironment:abc12345"], found.Value.Resources);
        Assert.Equal(["team-a"], found.Value.Tags);
        Assert.Equal("user-1", found.Value.UserUuid);
        Assert.NotNull(found.Value.ExpirationDate);
        Assert.Contains("searchTerm=dt0s16.ABCD1234", s.Sandbox.Requests.Single(r => r.Endpoint == SandboxEndpoint.PlatformTokensList).Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Find_of_a_token_only_partly_matching_is_NotFound()
    {
        await using var s = await AccountScenario.StartAsync();
        s.Account.AddPlatformToken(new SandboxPlatformTokenSeed { Id = "dt0s16.ABCD12345" });

        var result = await s.Client.FindAsync(TokenId.Parse("dt0s16.ABCD1234"), Ct);

        Assert.Equal(DynatraceStatus.NotFound, result.Status);
    }

    [Fact]
    public async Task List_filters_by_status_and_pages()
    {
        await using var s = await AccountScenario.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            s.Account.AddPlatformToken(new SandboxPlatformTokenSeed { Name = $"active-{i}", UserUuid = $"u{i}" });
        }

        s.Account.AddPlatformToken(new SandboxPlatformTokenSeed { Name = "off", Active = false, UserUuid = "u9" });

        var first = await s.Client.ListAsync(new PlatformTokenQuery(Status: "ACTIVE", Page: 0, Size: 3), Ct);
        var second = await s.Client.ListAsync(new PlatformTokenQuery(Status: "ACTIVE", Page: 1, Size: 3), Ct);
        var inactive = await s.Client.ListAsync(new PlatformTokenQuery(Status: "INACTIVE"), Ct);

        Assert.Equal((5, 3, 0), (first.Value!.Total, first.Value.Tokens.Count, first.Value.PageNumber));
        Assert.Equal((2, 1), (second.Value!.Tokens.Count, second.Value.PageNumber));
        Assert.Empty(first.Value.Tokens.Select(t => t.Id).Intersect(second.Value.Tokens.Select(t => t.Id)));
        Assert.Equal("off", Assert.Single(inactive.Value!.Tokens).Name);
        Assert.False(inactive.Value.Tokens[0].IsActive);
    }

    [Fact]
    public async Task Account_API_and_SSO_faults_are_retried()
    {
        await using var s = await AccountScenario.StartAsync();
        var id = TokenId.Parse(s.Account.AddPlatformToken().Id);
        s.Sandbox.SsoFaults.Enqueue(SandboxFault.Status(503));
        s.Account.Faults.Enqueue(SandboxFault.TooManyRequests(), times: 2);

        var result = await s.Client.SetActiveAsync(id, active: false, Ct);

        Assert.True(result.IsOk, result.Error?.ToString());
        Assert.Equal(2, s.Sandbox.SsoCallCount);
        Assert.Equal(3, s.Account.CallCount(SandboxEndpoint.PlatformTokensStatus));
    }

    [Fact]
    public async Task A_bearer_without_the_write_scope_is_Forbidden()
    {
        await using var sandbox = await TokenFunctions.DynatraceSandbox.DynatraceSandbox.StartAsync(cancellationToken: Ct);
        var account = sandbox.AddAccount();
        var readOnly = account.AddOAuthClient(scopes: ["account-idm-read"]);
        var id = TokenId.Parse(account.AddPlatformToken().Id);
        await using var services = new DynatraceConfig()
            .Account("acme", account.Uuid, readOnly.ClientId, readOnly.ClientSecret, sandbox.SsoTokenEndpoint, sandbox.AccountApiBaseUrl)
            .Set("Dynatrace:Accounts:0:Scopes", "account-idm-read")
            .Services(new LogCapture());

        var result = await services.GetRequiredServiceDirectory().Accounts[0].SetActiveAsync(id, active: false, Ct);

        Assert.Equal(DynatraceStatus.Forbidden, result.Status);
        Assert.Equal(1, account.CallCount(SandboxEndpoint.PlatformTokensStatus));
    }

    [Fact]
    public async Task A_scope_the_client_was_not_granted_is_a_typed_Forbidden_naming_it_without_a_call_to_the_API()
    {
        await using var sandbox = await TokenFunctions.DynatraceSandbox.DynatraceSandbox.StartAsync(cancellationToken: Ct);
        var account = sandbox.AddAccount();
        var least = account.AddOAuthClient(scopes: ["account-idm-read", "account-idm-write"]);
        var id = TokenId.Parse(account.AddPlatformToken().Id);
        var logs = new LogCapture();
        await using var services = new DynatraceConfig()
            .Account("acme", account.Uuid, least.ClientId, least.ClientSecret, sandbox.SsoTokenEndpoint, sandbox.AccountApiBaseUrl)
            .Set("Dynatrace:Accounts:0:Scopes", "account-idm-read account-idm-write platform-token:tokens:write")
            .Services(logs);

        var result = await services.GetRequiredServiceDirectory().Accounts[0].SetActiveAsync(id, active: false, Ct);

        Assert.Equal(DynatraceStatus.Forbidden, result.Status);
        Assert.Equal(["platform-token:tokens:write"], result.Error!.RejectedScopes);
        Assert.Contains("Dynatrace:Accounts:N:Scopes", result.Error.Message, StringComparison.Ordinal);
        Assert.Equal(1, sandbox.SsoCallCount);
        Assert.Equal(0, account.CallCount(SandboxEndpoint.PlatformTokensStatus));
        Assert.Contains(logs.Lines, l => l.Contains("invalid_scope", StringComparison.Ordinal) && l.Contains("acme", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_first_scopes_asked_for_are_the_two_the_docs_name()
    {
        await using var s = await AccountScenario.StartAsync();
        var id = TokenId.Parse(s.Account.AddPlatformToken().Id);

        Assert.True((await s.Client.SetActiveAsync(id, active: false, Ct)).IsOk);

        Assert.Null(s.Client.Account.Scopes);
        Assert.Equal("account-idm", s.Client.Readings.ScopeFamily);
        Assert.Equal(1, s.Sandbox.SsoCallCount);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task Find_starts_at_the_servers_default_page_and_follows_its_page_numbers(int pageBase)
    {
        await using var s = await AccountScenario.StartAsync();
        s.Sandbox.PlatformTokenPageBase = pageBase;
        for (var i = 0; i < 150; i++)
        {
            s.Account.AddPlatformToken(new SandboxPlatformTokenSeed { Id = $"dt0s16.A{i:D7}", Name = "about dt0s16.ZZZZZZZZ" });
        }

        s.Account.AddPlatformToken(new SandboxPlatformTokenSeed { Id = "dt0s16.ZZZZZZZZ" });
        s.Sandbox.ClearRequests();

        var found = await s.Client.FindAsync(TokenId.Parse("dt0s16.ZZZZZZZZ"), Ct);

        Assert.True(found.IsOk, found.Error?.ToString());
        Assert.Equal(
            ["?size=100&pageSize=99&searchTerm=dt0s16.ZZZZZZZZ", $"?size=100&pageSize=99&page={pageBase + 1}&pageNumber={pageBase + 1}&searchTerm=dt0s16.ZZZZZZZZ"],
            s.Sandbox.Requests.Where(r => r.Endpoint == SandboxEndpoint.PlatformTokensList).Select(r => r.Query));
    }
}
