using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TokenFunctions.Engine.Sources.Generic;
using TokenFunctions.Engine.Sources.GitGuardian;
using TokenFunctions.Engine.Sources.GitHub;
using TokenFunctions.Engine.Sources.GitHubPartner;
using TokenFunctions.Engine.Sources.GitLab;
using TokenFunctions.Engine.Tests.Sources.Support;

namespace TokenFunctions.Engine.IntegrationTests.Sources;

/// <summary>
/// A real Kestrel server on loopback whose routes call the engine's endpoint classes exactly as the function app's
/// one-line adapters will: <c>(HttpRequest req, CancellationToken ct) =&gt; endpoint.HandleAsync(req, ct)</c>, then the
/// host executes the returned <see cref="IActionResult"/>.
/// </summary>
public sealed class SourcesHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SourcesHost(WebApplication app, Uri baseUrl)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = baseUrl };
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<SourcesHost> StartAsync(SourcesHarness harness)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        harness.AddTo(builder.Services);
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        app.MapPost("/api/webhooks/github", Adapter<GitHubAlertEndpoint>((e, r, ct) => e.HandleAsync(r, ct)));
        app.MapPost("/api/webhooks/github-partner", Adapter<GitHubPartnerEndpoint>((e, r, ct) => e.HandleAsync(r, ct)));
        app.MapPost("/api/webhooks/gitguardian", Adapter<GitGuardianEndpoint>((e, r, ct) => e.HandleAsync(r, ct)));
        app.MapPost("/api/webhooks/generic", Adapter<GenericWebhookEndpoint>((e, r, ct) => e.HandleAsync(r, ct)));
        app.MapGet("/api/gitlab/v1/revocable_token_types", Adapter<GitLabRevocationEndpoint>((e, r, ct) => e.GetTokenTypesAsync(r, ct)));
        app.MapPost("/api/gitlab/v1/revoke_tokens", Adapter<GitLabRevocationEndpoint>((e, r, ct) => e.RevokeTokensAsync(r, ct)));
        await app.StartAsync();
        return new SourcesHost(app, new Uri(app.Urls.First() + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static RequestDelegate Adapter<TEndpoint>(Func<TEndpoint, HttpRequest, CancellationToken, Task<IActionResult>> handle)
        where TEndpoint : notnull => async context =>
        {
            var endpoint = context.RequestServices.GetRequiredService<TEndpoint>();
            var result = await handle(endpoint, context.Request, context.RequestAborted);
            await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData() ?? new RouteData(), new ActionDescriptor()));
        };
}
