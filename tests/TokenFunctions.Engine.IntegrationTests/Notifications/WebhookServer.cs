using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace TokenFunctions.Engine.IntegrationTests.Notifications;

/// <summary>
/// A loopback Kestrel server standing in for Teams, Slack and a generic webhook. Each path gets a scripted behaviour
/// per attempt (answer with a status, or hang until the client gives up); every request body is recorded.
/// </summary>
internal sealed class WebhookServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Func<int, int?>> _behaviours = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Delivery> _received = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _answered = new(StringComparer.Ordinal);

    private WebhookServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyList<Delivery> Received => _received.ToList();

    public static async Task<WebhookServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        var server = new WebhookServer(app);
        app.MapPost("/{**path}", server.HandleAsync);
        await app.StartAsync();
        server.BaseAddress = new Uri(app.Urls.First());
        return server;
    }

    /// <summary>Behaviour of <paramref name="path"/> by attempt number (1-based): a status code, or null to never answer.</summary>
    public Uri Route(string path, Func<int, int?> behaviour)
    {
        _behaviours[path] = behaviour;
        return new Uri(BaseAddress, path);
    }

    public int Attempts(string path) => _attempts.TryGetValue(path, out var n) ? n : 0;

    /// <summary>Completes when <paramref name="path"/> has answered a request with a 2xx status.</summary>
    public Task Delivered(string path) => _answered.GetOrAdd(path, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value!;
        var attempt = _attempts.AddOrUpdate(path, 1, (_, n) => n + 1);
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        _received.Enqueue(new Delivery(path, attempt, context.Request.ContentType, body));

        var status = _behaviours.TryGetValue(path, out var behaviour) ? behaviour(attempt) : 404;
        if (status is null)
        {
            // A slow service: hold the request until the client's attempt timeout abandons it.
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        context.Response.StatusCode = status.Value;
        await context.Response.WriteAsync(status < 300 ? "ok" : "error", context.RequestAborted);
        if (status < 300)
        {
            _answered.GetOrAdd(path, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    public sealed record Delivery(string Path, int Attempt, string? ContentType, string Body);
}
