using Microsoft.Extensions.DependencyInjection;
using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;
using TokenFunctions.Engine.Rotation.Jobs;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.IntegrationTests.Rotation;

/// <summary>
/// The platform paths that must list (leak rotation, hygiene) against sandboxes whose pages count from 0 and from 1,
/// with the token of interest beyond the first page. Scheduled rotation and reconciliation are in
/// <see cref="RotationSandboxTests"/>, over both bases too.
/// </summary>
public sealed class PlatformPagingSandboxTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task A_leaked_managed_platform_token_is_disabled_without_listing_then_replaced_from_facts_on_page_two(int pageBase)
    {
        await using var s = await RotationSandboxScenario.StartAsync(pageBase);
        var old = s.EnrollPlatform("platform-token", overlap: "3d");
        s.AddPlatformFiller(150, "copy of " + old.Id);

        var result = await s.Kill.DisableAsync(new KillRequest([Leak.FromSecret(TokenSecret.Parse(old.Secret), "github-alert", "alert-7")]), Ct);

        var outcome = Assert.Single(result.Outcomes);
        Assert.Equal(TokenOutcomeKind.Disabled, outcome.Outcome);
        Assert.False(s.SandboxAccount.GetPlatformToken(old.Id)!.IsActive);
        var requests = s.Sandbox.Requests.ToList();
        var disable = requests.FindIndex(r => r.Endpoint == SandboxEndpoint.PlatformTokensStatus && r.Path.Contains(old.Id, StringComparison.Ordinal));
        Assert.True(disable >= 0);
        Assert.DoesNotContain(requests.Take(disable), r => r.Endpoint == SandboxEndpoint.PlatformTokensList);

        // The replacement needed the old token's scopes: listed, past page 1, with the server's own page numbers.
        var fresh = s.SandboxAccount.GetPlatformToken(s.CurrentId("platform-token"))!;
        Assert.NotEqual(old.Id, fresh.Id);
        Assert.True(fresh.IsActive);
        Assert.Equal(s.SandboxAccount.GetPlatformToken(old.Id)!.Scopes, fresh.Scopes);
        Assert.Equal(s.Vault.Latest("platform-token")!.Id.ToString(), outcome.ReplacementLocation);
        var pages = requests.Where(r => r.Endpoint == SandboxEndpoint.PlatformTokensList && r.Query.Contains(old.Id, StringComparison.Ordinal)).Select(r => r.Query).ToList();
        Assert.DoesNotContain("page=", pages[0], StringComparison.Ordinal);
        Assert.Contains($"page={pageBase + 1}", pages[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task Hygiene_reports_every_platform_token_across_pages(int pageBase)
    {
        await using var s = await RotationSandboxScenario.StartAsync(pageBase);
        s.AddPlatformFiller(230, "never expires", expires: false);

        var report = await s.Services.GetRequiredService<HygieneReportJob>().RunAsync(Ct);

        Assert.Empty(report.Errors);
        Assert.Equal(230, report.Of(HygieneIssue.NeverExpires).Count(f => f.Target == RotationSandboxScenario.Account));
        Assert.Equal(3, s.SandboxAccount.CallCount(SandboxEndpoint.PlatformTokensList));
    }
}
