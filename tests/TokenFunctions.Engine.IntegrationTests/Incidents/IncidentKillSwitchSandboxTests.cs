using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Dynatrace;
using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Engine.Incidents.Testing;
using TokenFunctions.Engine.IntegrationTests.Dynatrace;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Telemetry;
using TokenFunctions.Engine.Tokens;
using Sandbox = TokenFunctions.DynatraceSandbox.DynatraceSandbox;

namespace TokenFunctions.Engine.Incidents;

/// <summary>
/// The whole path over real HTTP: the real Dynatrace clients and kill-switch against the loopback sandbox, the incident
/// processor with its ledger and progress in Azurite. Only the work-budget clock is fake, advanced per token acted on.
/// </summary>
public sealed class IncidentKillSwitchSandboxTests(AzuriteTables azurite) : IClassFixture<AzuriteTables>
{
    private const string Mallory = "mallory@example.com";

    [Fact]
    public async Task A_two_thousand_token_selector_over_two_environments_finishes_across_deliveries_disabling_each_token_once()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sandbox = await Sandbox.StartAsync(cancellationToken: ct);
        var env1 = sandbox.AddEnvironment("env1");
        var env2 = sandbox.AddEnvironment("env2");
        var admin1 = env1.AddManagementToken();
        var admin2 = env2.AddManagementToken();
        var target1 = env1.AddTokens(1000, i => new SandboxApiTokenSeed { Name = $"m-{i}", Owner = Mallory, Scopes = ["metrics.read"] });
        var target2 = env2.AddTokens(1000, i => new SandboxApiTokenSeed { Name = $"m-{i}", Owner = Mallory, Scopes = ["settings.write"] });
        var bystanders = env1.AddTokens(30, i => new SandboxApiTokenSeed { Name = $"a-{i}", Owner = "alice@example.com", Scopes = ["metrics.read"] })
            .Concat(env2.AddTokens(30, i => new SandboxApiTokenSeed { Name = $"a-{i}", Owner = "alice@example.com", Scopes = ["metrics.read"] }))
            .ToList();

        var logs = new LogCapture();
        var config = new DynatraceConfig()
            .Environment("prod", sandbox.EnvironmentBaseUrl("env1"), admin1.Secret)
            .Environment("staging", sandbox.EnvironmentBaseUrl("env2"), admin2.Secret)
            .Set("Dynatrace:MaxRetryAttempts", "1")
            .Set("Incidents:Storage:ConnectionString", Environment.GetEnvironmentVariable(AzuriteTables.EnvironmentVariable) is { Length: > 0 } c ? c : "UseDevelopmentStorage=true")
            .Set("Incidents:Storage:LedgerTable", azurite.Tables.Ledger.Name)
            .Set("Incidents:Storage:ProgressTable", azurite.Tables.Progress.Name)
            .Set("Incidents:MaxDeliveryCount", "10")
            .Set("Incidents:PageSize", "400")
            .Set("Incidents:BatchSize", "100")
            .Set("Incidents:WorkBudgetPerDelivery", "00:00:20");
        // The real kill, behind a decorator that charges the fake budget clock 50 ms per token acted on. No
        // IIncidentMessageSender: work left over is redelivered (Abandon), as the loop below plays Service Bus.
        var budgetClock = new FakeTimeProvider(new DateTimeOffset(2026, 9, 1, 8, 0, 0, TimeSpan.Zero));
        await using var services = config.Services(logs, configure: s =>
        {
            s.AddSingleton<IAuditSink, RecordingAuditSink>();
            s.AddKill(config.Build());
            s.AddSingleton<KillService>();
            s.AddSingleton<IKillService>(sp => new ClockChargingKill(sp.GetRequiredService<KillService>(), budgetClock, TimeSpan.FromMilliseconds(50)));
            s.AddIncidents(config.Build());
        });

        // The processor as AddIncidents composes it, with the budget clock in place of the system clock.
        var processor = ActivatorUtilities.CreateInstance<IncidentProcessor>(services, budgetClock);

        // The first delivery meets a Dynatrace outage in env1: env2 still progresses, env1 resumes on a redelivery.
        env1.Faults.SetPersistent(SandboxFault.Status(503), SandboxEndpoint.ApiTokensUpdate);
        var body = Encoding.UTF8.GetBytes($$"""
            { "version": 1, "type": "kill-switch", "incidentId": "IR-{{Guid.NewGuid():N}}", "requestedBy": "ir-lead@example.com",
              "reason": "mallory's workstation compromised", "selector": { "owner": "{{Mallory}}" } }
            """);
        var decisions = new List<SettlementDecision>();
        for (var delivery = 1; delivery <= 10; delivery++)
        {
            decisions.Add(await processor.ProcessAsync(new IncomingIncidentMessage(body, "sb-message-1", delivery, DateTimeOffset.UtcNow), ct));
            env1.Faults.Clear();
            if (decisions[^1] is not SettlementDecision.Abandon)
            {
                break;
            }
        }

        Assert.IsType<SettlementDecision.Complete>(decisions[^1]);
        Assert.True(decisions.Count >= 4, $"expected the budget to spread the work over several deliveries, got {decisions.Count}");
        var first = Assert.IsType<SettlementDecision.Abandon>(decisions[0]);
        Assert.EndsWith("failed transiently", (string)first.PropertiesToModify["tf-last-result"], StringComparison.Ordinal);
        Assert.True((long)first.PropertiesToModify["tf-succeeded"] > 0, "env2 should have progressed during env1's outage");

        var successfulWrites = sandbox.Requests
            .Where(r => r.Endpoint == SandboxEndpoint.ApiTokensUpdate && r.StatusCode is >= 200 and < 300)
            .GroupBy(r => r.Path[(r.Path.LastIndexOf('/') + 1)..])
            .ToDictionary(g => g.Key, g => g.Count());
        foreach (var (token, environment) in target1.Select(t => (t, env1)).Concat(target2.Select(t => (t, env2))))
        {
            Assert.False(environment.GetToken(token.Id)!.Enabled, $"{token.Id} is still enabled");
            Assert.Equal(1, successfulWrites.GetValueOrDefault(token.Id));
        }

        Assert.Equal(2000, successfulWrites.Count);
        Assert.All(bystanders, t => Assert.True((env1.GetToken(t.Id) ?? env2.GetToken(t.Id))!.Enabled));
        Assert.True(env1.GetToken(admin1.Id)!.Enabled);
        Assert.DoesNotContain(admin1.Secret, logs.All, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, SandboxIdForm.Prefixed, SandboxPagingNames.PageAndSize)]
    [InlineData(1, SandboxIdForm.Prefixed, SandboxPagingNames.PageAndSize)]
    [InlineData(0, SandboxIdForm.Uuid, SandboxPagingNames.PageNumberAndPageSize)]
    public async Task A_platform_user_selector_disables_that_users_tokens_on_every_page_whatever_the_reading(int pageBase, SandboxIdForm idForm, SandboxPagingNames paging)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sandbox = await Sandbox.StartAsync(new SandboxOptions { PlatformReading = new SandboxPlatformReading { PageBase = pageBase, IdForm = idForm, Paging = paging } }, ct);
        var account = sandbox.AddAccount();
        var client = account.AddOAuthClient();
        var mallory = Guid.NewGuid().ToString();

        // 250 tokens sorted by id; every fifth is mallory's, so hers are on all three pages.
        var hers = new List<string>();
        for (var i = 0; i < 250; i++)
        {
            var issued = account.AddPlatformToken(new SandboxPlatformTokenSeed { Id = $"dt0s16.P{i:D7}", UserUuid = i % 5 == 0 ? mallory : Guid.NewGuid().ToString() });
            if (i % 5 == 0)
            {
                hers.Add(issued.Id);
            }
        }

        var config = new DynatraceConfig()
            .Account("main", account.Uuid, client.ClientId, client.ClientSecret, sandbox.SsoTokenEndpoint, sandbox.AccountApiBaseUrl)
            .Set("KillSwitch:MaxRequestsPerSecondPerAccount", "0")
            .Set("Incidents:Storage:ConnectionString", Environment.GetEnvironmentVariable(AzuriteTables.EnvironmentVariable) is { Length: > 0 } c ? c : "UseDevelopmentStorage=true")
            .Set("Incidents:Storage:LedgerTable", azurite.Tables.Ledger.Name)
            .Set("Incidents:Storage:ProgressTable", azurite.Tables.Progress.Name);
        await using var services = config.Services(new LogCapture(), configure: s =>
        {
            s.AddSingleton<IAuditSink, RecordingAuditSink>();
            s.AddKill(config.Build());
            s.AddIncidents(config.Build());
            s.AddSingleton<IIncidentMessageSender>(new RecordingIncidentMessageSender { Failure = new NotSupportedException() });
        });
        var body = Encoding.UTF8.GetBytes($$"""
            { "version": 1, "type": "kill-switch", "incidentId": "IR-{{Guid.NewGuid():N}}", "requestedBy": "ir-lead@example.com",
              "reason": "mallory's laptop stolen", "selector": { "platformUserUuid": "{{mallory}}" } }
            """);

        var decision = await services.GetRequiredService<IncidentProcessor>().ProcessAsync(new IncomingIncidentMessage(body, "sb-message-p", 1, DateTimeOffset.UtcNow), ct);

        Assert.IsType<SettlementDecision.Complete>(decision);
        Assert.All(hers, id => Assert.False(account.GetPlatformToken(id)!.IsActive, $"{id} is still ACTIVE"));
        Assert.Equal(200, account.PlatformTokens.Count(t => t.IsActive));
        Assert.Equal(3, account.CallCount(SandboxEndpoint.PlatformTokensList));
        Assert.Equal(hers.Count, account.CallCount(SandboxEndpoint.PlatformTokensStatus));
    }

    private sealed class ClockChargingKill(IKillService inner, FakeTimeProvider clock, TimeSpan perToken) : IKillService
    {
        public async Task<KillResult> DisableAsync(KillRequest request, CancellationToken cancellationToken)
        {
            var result = await inner.DisableAsync(request, cancellationToken);
            clock.Advance(perToken * request.Leaks.Count);
            return result;
        }

        public Task<TokenOutcome> EnableAsync(TokenId tokenId, string? ownerHint, string correlationId, string requestedBy, string reason, CancellationToken cancellationToken) =>
            inner.EnableAsync(tokenId, ownerHint, correlationId, requestedBy, reason, cancellationToken);
    }
}
