using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using TokenFunctions.Audit;
using TokenFunctions.Functions.Tests.Hosting;
using TokenFunctions.Sources;

namespace TokenFunctions.Functions.Tests.Sources;

/// <summary>
/// Each HTTP function's <c>Run</c> with a real <see cref="DefaultHttpContext"/> request, the function class built from the
/// app's container: the answer comes from the engine endpoint the adapter is meant to reach (its refusals differ per source).
/// </summary>
public sealed class HttpAdapterTests(SandboxedFunctionApp fixture) : IClassFixture<SandboxedFunctionApp>
{
    private HttpRequest Request(string method, string body = "", string? query = null, params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext { RequestServices = fixture.App.Services };
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Request.Method = method;
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = bytes.Length;
        context.Request.Body = new MemoryStream(bytes);
        context.Request.QueryString = query is null ? QueryString.Empty : new QueryString(query);
        foreach (var (name, value) in headers)
        {
            context.Request.Headers[name] = value;
        }

        return context.Request;
    }

    private static int? Status(IActionResult result) => Assert.IsAssignableFrom<IStatusCodeActionResult>(result).StatusCode;

    private const string Alert = """{"action":"created","alert":{"number":1,"secret_type":"dynatrace_api_token"}}""";

    [Fact]
    public async Task An_unsigned_github_alert_is_refused_by_the_github_endpoint() =>
        Assert.Equal(401, Status(await fixture.App.Function<GitHubSecretScanningAlert>().Run(
            Request("POST", Alert, null, ("X-GitHub-Event", "secret_scanning_alert")), TestContext.Current.CancellationToken)));

    [Fact]
    public async Task An_unsigned_partner_report_is_refused_by_the_partner_endpoint() =>
        Assert.Equal(401, Status(await fixture.App.Function<GitHubPartnerReport>().Run(
            Request("POST", """[{"token":"x","type":"dynatrace_api_token","url":"https://example.com"}]"""), TestContext.Current.CancellationToken)));

    [Fact]
    public async Task An_unsigned_gitguardian_event_is_refused_by_the_gitguardian_endpoint() =>
        Assert.Equal(401, Status(await fixture.App.Function<GitGuardianIncident>().Run(
            Request("POST", """{"action":"incident_triggered"}"""), TestContext.Current.CancellationToken)));

    [Fact]
    public async Task An_unsigned_generic_report_is_refused_by_the_generic_endpoint() =>
        Assert.Equal(401, Status(await fixture.App.Function<GenericScannerReport>().Run(
            Request("POST", """{"id":"scan-1","tokens":["dt0c01.ABC"]}"""), TestContext.Current.CancellationToken)));

    [Fact]
    public async Task A_gitlab_revocation_without_the_token_is_refused() =>
        Assert.Equal(401, Status(await fixture.App.Function<GitLabRevokeTokens>().Run(
            Request("POST", """[{"type":"dynatrace_api_token","token":"x"}]"""), TestContext.Current.CancellationToken)));

    [Fact]
    public async Task The_gitlab_token_types_answer_the_configured_token_and_refuse_any_other()
    {
        var function = fixture.App.Function<GitLabRevocableTokenTypes>();
        Assert.Equal(401, Status(await function.Run(
            Request("GET", headers: ("Authorization", "Bearer wrong-token")), TestContext.Current.CancellationToken)));

        var ok = await function.Run(
            Request("GET", headers: ("Authorization", "Bearer local-gitlab-revocation-token")), TestContext.Current.CancellationToken);
        Assert.Equal(200, Status(ok));
    }

    [Fact]
    public async Task The_audit_query_refuses_a_query_without_a_key_and_a_post()
    {
        var function = fixture.App.Function<AuditTrailQuery>();
        Assert.Equal(400, Status(await function.Run(Request("GET"), TestContext.Current.CancellationToken)));
        Assert.Equal(405, Status(await function.Run(Request("POST"), TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task The_audit_query_reads_the_trail_from_storage()
    {
        var result = await fixture.App.Function<AuditTrailQuery>().Run(
            Request("GET", query: "?tokenId=dt0c01.ST2EY72KQINMH574WMNVI7YN"), TestContext.Current.CancellationToken);

        Assert.Equal(200, Status(result));
    }
}
