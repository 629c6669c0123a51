using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;
using TokenFunctions.Engine.Audit;
using static TokenFunctions.Engine.UnitTests.Audit.AuditTestData;

namespace TokenFunctions.Engine.UnitTests.Audit;

public sealed class AuditQueryEndpointTests
{
    private readonly Mock<IAuditQuery> _store = new(MockBehavior.Strict);
    private readonly AuditQueryEndpoint _endpoint;

    public AuditQueryEndpointTests()
    {
        var options = Options.Create(new AuditOptions { ConnectionString = "UseDevelopmentStorage=true" });
        _endpoint = new AuditQueryEndpoint(_store.Object, options, new FakeTimeProvider(T0));
    }

    [Theory]
    [InlineData("?tokenId=not-a-token", "tokenId must be a Dynatrace token id")]
    [InlineData("?tokenId=" + Secret, "never the full token")]
    [InlineData("?incidentId=x-" + Secret, "must not contain a token")]
    [InlineData("?from=2026-09-01T12:00:00Z&to=2026-09-01T11:00:00Z", "earlier")]
    [InlineData("?from=2026-08-01T00:00:00Z&to=2026-09-01T00:00:00Z", "at most 168 hours")]
    [InlineData("?from=yesterday", "ISO 8601")]
    [InlineData("?tokenId=dt0c01.ST2EY72KQINMH574WMNVI7YN&limit=-1", "whole number")]
    [InlineData("?tokenId=dt0c01.ST2EY72KQINMH574WMNVI7YN&limit=100000", "between 1 and 1000")]
    [InlineData("?tokenId=dt0c01.ST2EY72KQINMH574WMNVI7YN&incidentId=x", "not both")]
    [InlineData("?tokenId=dt0c01.ST2EY72KQINMH574WMNVI7YN&tokenId=dt0s16.TYUHJKNM", "at most once")]
    [InlineData("?token=dt0c01.ST2EY72KQINMH574WMNVI7YN", "Unknown parameter")]
    [InlineData("", "Give tokenId")]
    [InlineData("?tokenId=dt0c01.ST2EY72KQINMH574WMNVI7YN&continuation=abc", "continuation")]
    public async Task Bad_parameters_are_a_400_that_never_echoes_the_input(string queryString, string expected)
    {
        var (status, body) = await RunAsync(queryString);

        Assert.Equal(400, status);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(400, json.RootElement.GetProperty("status").GetInt32());
        Assert.Contains(expected, json.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(SecretPart, body, StringComparison.Ordinal);
        Assert.DoesNotContain("not-a-token", body, StringComparison.Ordinal);
        Assert.DoesNotContain("yesterday", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_is_refused()
    {
        var (status, _) = await RunAsync("?tokenId=dt0c01.ST2EY72KQINMH574WMNVI7YN", "POST");
        Assert.Equal(405, status);
    }

    [Fact]
    public async Task A_valid_query_reaches_the_store_and_comes_back_as_json()
    {
        AuditQuery? asked = null;
        var record = Record(TokenA) with { Latency = TimeSpan.FromMilliseconds(250), BlastRadius = new BlastRadius("alice", ["metrics.read"], T0, "1.2.3.4", "ci") };
        _store.Setup(s => s.QueryAsync(It.IsAny<AuditQuery>(), It.IsAny<CancellationToken>()))
            .Callback<AuditQuery, CancellationToken>((q, _) => asked = q)
            .ReturnsAsync(new AuditPage([new AuditEntry("rk-1", record)], "next-page"));

        var (status, body) = await RunAsync("?tokenId=dt0c01.ST2EY72KQINMH574WMNVI7YN&from=2026-09-01T11:00:00%2B02:00&limit=5&code=functionkey");

        Assert.Equal(200, status);
        Assert.Equal(TokenA, asked!.TokenId);
        Assert.Equal(new DateTimeOffset(2026, 9, 1, 9, 0, 0, TimeSpan.Zero), asked.From);
        Assert.Equal(5, asked.Limit);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("count").GetInt32());
        Assert.Equal("next-page", root.GetProperty("continuation").GetString());
        var first = root.GetProperty("records")[0];
        Assert.Equal("rk-1", first.GetProperty("recordId").GetString());
        Assert.Equal("dt0c01.ST2EY72KQINMH574WMNVI7YN", first.GetProperty("tokenId").GetString());
        Assert.Equal("ClassicApiToken", first.GetProperty("tokenKind").GetString());
        Assert.Equal(250, first.GetProperty("latencyMs").GetDouble());
        Assert.Equal("alice", first.GetProperty("tokenOwner").GetString());
        Assert.Equal("metrics.read", first.GetProperty("scopes")[0].GetString());
        Assert.False(first.TryGetProperty("requestedBy", out _));
    }

    [Fact]
    public async Task A_store_outage_is_a_503_without_its_details()
    {
        _store.Setup(s => s.QueryAsync(It.IsAny<AuditQuery>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new Azure.RequestFailedException(503, "Server busy at https://stfunc.table.core.windows.net/audit()"));

        var (status, body) = await RunAsync("?tokenId=dt0c01.ST2EY72KQINMH574WMNVI7YN");

        Assert.Equal(503, status);
        Assert.DoesNotContain("stfunc", body, StringComparison.Ordinal);
    }

    private async Task<(int Status, string Body)> RunAsync(string queryString, string method = "GET")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.QueryString = new QueryString(queryString);
        context.Response.Body = new MemoryStream();

        var result = await _endpoint.HandleAsync(context.Request, CancellationToken.None);
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));

        context.Response.Body.Position = 0;
        var body = await new StreamReader(context.Response.Body).ReadToEndAsync();
        Assert.Equal("no-store", context.Response.Headers.CacheControl.ToString());
        return (context.Response.StatusCode, body);
    }
}
