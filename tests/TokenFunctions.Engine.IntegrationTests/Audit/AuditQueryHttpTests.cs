using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TokenFunctions.Engine.Audit;
using static TokenFunctions.Engine.IntegrationTests.Audit.AuditData;

namespace TokenFunctions.Engine.IntegrationTests.Audit;

/// <summary><c>GET /api/audit</c> over a real Azurite-backed store: on a bare <c>DefaultHttpContext</c> and behind Kestrel.</summary>
public sealed class AuditQueryHttpTests(AzuriteTables azurite) : IClassFixture<AzuriteTables>, IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(Now);
    private AuditTableStore _store = null!;
    private AuditQueryEndpoint _endpoint = null!;
    private WebApplication? _app;
    private HttpClient? _client;

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var options = azurite.Options();
        _store = azurite.NewStore(_time, options);
        _endpoint = new AuditQueryEndpoint(_store, Options.Create(options), _time);
        var records = Enumerable.Range(0, 12)
            .Select(i => Record(i < 8 ? TokenA : TokenB, Now.AddMinutes(-9 * i - 1), i < 6 ? "incident-http" : "incident-other", detail: $"#{i} " + Secret))
            .ToList();
        await _store.WriteAsync(records, Ct);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Urls.Add("http://127.0.0.1:0");

        // What the function app's HTTP trigger does: hand the request to the engine, execute the IActionResult.
        _app.MapGet("/api/audit", async (HttpContext context) =>
        {
            var result = await _endpoint.HandleAsync(context.Request, context.RequestAborted);
            await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        });
        await _app.StartAsync(Ct);
        _client = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_default_http_context_gets_the_token_history_as_json()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.QueryString = new QueryString("?tokenId=dt0c01.ST2EY72KQINMH574WMNVI7YN&limit=3");
        context.Response.Body = new MemoryStream();

        var result = await _endpoint.HandleAsync(context.Request, Ct);
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));

        Assert.Equal(200, context.Response.StatusCode);
        Assert.StartsWith("application/json", context.Response.ContentType, StringComparison.Ordinal);
        context.Response.Body.Position = 0;
        using var json = await JsonDocument.ParseAsync(context.Response.Body, cancellationToken: Ct);
        var records = json.RootElement.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(["#0", "#1", "#2"], records.Select(r => r.GetProperty("detail").GetString()![..2]));
        Assert.All(records, r => Assert.Equal("dt0c01.ST2EY72KQINMH574WMNVI7YN", r.GetProperty("tokenId").GetString()));
        Assert.NotNull(json.RootElement.GetProperty("continuation").GetString());
    }

    [Fact]
    public async Task Kestrel_serves_pages_by_incident_until_the_continuation_runs_out()
    {
        var details = new List<string>();
        string? continuation = null;
        do
        {
            var url = "/api/audit?incidentId=incident-http&limit=4" + (continuation is null ? string.Empty : "&continuation=" + Uri.EscapeDataString(continuation));
            using var response = await _client!.GetAsync(url, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
            var body = await response.Content.ReadAsStringAsync(Ct);
            Assert.DoesNotContain(SecretPart, body, StringComparison.Ordinal);
            using var json = JsonDocument.Parse(body);
            details.AddRange(json.RootElement.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("detail").GetString()![..2]));
            continuation = json.RootElement.TryGetProperty("continuation", out var c) ? c.GetString() : null;
        }
        while (continuation is not null);

        Assert.Equal(["#0", "#1", "#2", "#3", "#4", "#5"], details);
    }

    [Fact]
    public async Task Kestrel_answers_a_time_range_across_hour_partitions()
    {
        using var response = await _client!.GetAsync("/api/audit?from=2026-09-01T11:00:00Z&to=2026-09-01T12:20:00Z", Ct);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));

        // Records at 12:29, 12:20 (excluded: to is exclusive), 12:11, 12:02, 11:53, ... 11:02; 10:53 is before from.
        var times = json.RootElement.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("timestamp").GetDateTimeOffset()).ToList();
        Assert.Equal(8, json.RootElement.GetProperty("count").GetInt32());
        Assert.Equal(Now.AddMinutes(-19), times[0]);
        Assert.Equal(Now.AddMinutes(-9 * 9 - 1), times[^1]);
        Assert.Equal(times.OrderByDescending(t => t), times);
    }

    [Theory]
    [InlineData("/api/audit?tokenId=dt0c01.NOPE")]
    [InlineData("/api/audit?from=2026-09-01T12:00:00Z&to=2026-09-01T11:00:00Z")]
    [InlineData("/api/audit?from=2026-01-01T00:00:00Z&to=2026-09-01T00:00:00Z")]
    [InlineData("/api/audit?tokenId=" + Secret)]
    public async Task Kestrel_returns_problem_details_for_bad_parameters(string url)
    {
        using var response = await _client!.GetAsync(url, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(SecretPart, body, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(400, json.RootElement.GetProperty("status").GetInt32());
    }
}
