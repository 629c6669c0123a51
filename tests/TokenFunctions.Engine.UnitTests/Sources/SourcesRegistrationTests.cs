using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Sources;
using TokenFunctions.Engine.Sources.Deliveries;
using TokenFunctions.Engine.Sources.GitHub;
using TokenFunctions.Engine.Sources.GitHubPartner;
using TokenFunctions.Engine.Tests.Sources.Support;

namespace TokenFunctions.Engine.UnitTests.Sources;

public sealed class SourcesRegistrationTests
{
    [Fact]
    public void Options_bind_from_the_documented_keys()
    {
        using var h = SourcesHarness.Create(s =>
        {
            s["Sources:MaxBodyBytes"] = "2048";
            s["Sources:InlineDeadline"] = "00:00:04";
            s["Sources:GitHub:ApiBaseUrl"] = "https://ghe.example.com/api/v3/";
            s["Sources:Partner:KeysUrl"] = "https://keys.example.com/secret_scanning";
            s["Sources:GitHub:ResolutionCommentTemplate"] = "killed {tokenIds}";
        });
        var sources = h.Services.GetRequiredService<IOptions<SourcesOptions>>().Value;
        Assert.Equal((2048L, TimeSpan.FromSeconds(4)), (sources.MaxBodyBytes, sources.InlineDeadline));
        var gitHub = h.Services.GetRequiredService<IOptions<GitHubAlertOptions>>().Value;
        Assert.Equal("https://ghe.example.com/api/v3/", gitHub.ApiBaseUrl.AbsoluteUri);
        Assert.Equal("killed {tokenIds}", gitHub.ResolutionCommentTemplate);
        Assert.Equal(GitHubAlertOptions.DefaultSecretTypes, gitHub.EffectiveSecretTypes);
        Assert.Equal("https://keys.example.com/secret_scanning", h.Services.GetRequiredService<IOptions<PartnerOptions>>().Value.KeysUrl.AbsoluteUri);
    }

    [Fact]
    public void The_GitHub_alert_follow_up_is_registered_once_for_the_incident_queue()
    {
        using var h = SourcesHarness.Create(services: s => s.AddLeakSources(new ConfigurationBuilder().Build()));
        Assert.IsType<GitHubAlertFollowUp>(Assert.Single(h.Services.GetServices<TokenFunctions.Engine.Incidents.IIncidentFollowUp>()));
    }

    [Fact]
    public void Real_clients_are_registered_when_no_fakes_are()
    {
        using var h = SourcesHarness.Create(fakeGitHub: false, fakePartnerKeys: false);
        Assert.IsType<GitHubAlertClient>(h.Services.GetRequiredService<IGitHubAlertClient>());
        Assert.IsType<PartnerPublicKeyCache>(h.Services.GetRequiredService<IPartnerPublicKeyProvider>());
        Assert.IsType<StaticGitHubCredential>(h.Services.GetRequiredService<IGitHubCredential>());
        Assert.IsType<InMemoryDeliveryClaims>(h.Services.GetRequiredService<IDeliveryClaims>());
        Assert.NotNull(h.GitHubAlert);
        Assert.NotNull(h.Partner);
        Assert.NotNull(h.GitGuardian);
        Assert.NotNull(h.Generic);
        Assert.NotNull(h.GitLab);
    }

    [Fact]
    public void A_GitHub_App_replaces_the_static_token_when_configured()
    {
        using var h = SourcesHarness.Create(s =>
        {
            s["Sources:GitHub:AppId"] = "12345";
            s["Sources:GitHub:AppInstallationId"] = "678";
        }, fakeGitHub: false);
        Assert.IsType<GitHubAppCredential>(h.Services.GetRequiredService<IGitHubCredential>());
    }

    [Fact]
    public void The_ledger_defaults_to_table_storage_and_demands_a_connection()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>()).Build();
        using var withoutStorage = new ServiceCollection().AddLogging().AddLeakSources(config).BuildServiceProvider();
        var error = Assert.Throws<InvalidOperationException>(() => withoutStorage.GetRequiredService<IDeliveryClaims>());
        Assert.Contains("Sources:Ledger:ConnectionString", error.Message, StringComparison.Ordinal);

        var withStorage = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" }).Build();
        using var provider = new ServiceCollection().AddLogging().AddLeakSources(withStorage).BuildServiceProvider();
        Assert.IsType<TableDeliveryClaims>(provider.GetRequiredService<IDeliveryClaims>());
    }

    [Fact]
    public async Task Secrets_come_from_configuration_with_an_optional_previous_value()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sources:Generic:Secret"] = "current",
            ["Sources:Generic:SecretPrevious"] = "previous",
        }).Build();
        var provider = new ConfigurationWebhookSecretProvider(config);
        var secret = await provider.GetAsync(WebhookSecretNames.GenericSecret, CancellationToken.None);
        Assert.Equal(["current", "previous"], secret!.Values);
        Assert.DoesNotContain("current", secret.ToString(), StringComparison.Ordinal);
        Assert.Null(await provider.GetAsync(WebhookSecretNames.GitLabToken, CancellationToken.None));
    }
}
