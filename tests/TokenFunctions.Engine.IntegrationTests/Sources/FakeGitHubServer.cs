using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace TokenFunctions.Engine.IntegrationTests.Sources;

/// <summary>
/// A loopback GitHub: the secret-scanning alert REST endpoints (under <c>/</c> and <c>/api/v3</c> for GHES), the
/// partner key endpoint with ETags, and GitHub App installation tokens (JWTs checked against the App's public key).
/// </summary>
public sealed class FakeGitHubServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeGitHubServer(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public string ExpectedToken { get; set; } = "ghp_test";

    public string? AlertSecret { get; set; }

    public int AlertStatus { get; set; } = 200;

    /// <summary>Statuses the next PATCHes answer, one each, before answering as usual.</summary>
    public ConcurrentQueue<int> PatchStatuses { get; } = new();

    public ConcurrentQueue<(string Method, string Path, string? Authorization, string Body, string? ApiVersion)> Requests { get; } = new();

    public string KeysJson { get; set; } = "{\"public_keys\":[]}";

    public int KeysStatus { get; set; } = 200;

    public string KeysETag { get; set; } = "\"v1\"";

    public int KeysHits;

    public RSA AppKey { get; } = RSA.Create(2048);

    public string AppId { get; set; } = "12345";

    public int InstallationTokenHits;

    public DateTimeOffset InstallationTokenExpires { get; set; } = DateTimeOffset.UtcNow.AddHours(1);

    public static async Task<FakeGitHubServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        var server = new FakeGitHubServer(app);
        app.UsePathBase("/api/v3");
        app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            context.Request.Body.Position = 0;
            server.Requests.Enqueue((context.Request.Method, context.Request.PathBase + context.Request.Path, context.Request.Headers.Authorization.ToString(), body,
                context.Request.Headers["X-GitHub-Api-Version"].ToString()));
            await next(context);
        });
        app.MapGet("/repos/{owner}/{repo}/secret-scanning/alerts/{number:long}", (HttpContext context, long number) => server.Alert(context, number));
        app.MapMethods("/repos/{owner}/{repo}/secret-scanning/alerts/{number:long}", ["PATCH"], (HttpContext context, long number) => server.Alert(context, number));
        app.MapGet("/meta/public_keys/secret_scanning", server.Keys);
        app.MapPost("/app/installations/{id:long}/access_tokens", (HttpContext context, long id) => server.InstallationToken(context, id));
        await app.StartAsync();
        server.BaseUrl = new Uri(app.Urls.First() + "/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        AppKey.Dispose();
    }

    private IResult Alert(HttpContext context, long number)
    {
        if (context.Request.Headers.Authorization.ToString() != "Bearer " + ExpectedToken)
        {
            return Results.Json(new { message = "Bad credentials" }, statusCode: 401);
        }

        if (AlertStatus != 200)
        {
            return Results.Json(new { message = "nope" }, statusCode: AlertStatus);
        }

        if (HttpMethods.IsPatch(context.Request.Method) && PatchStatuses.TryDequeue(out var patchStatus))
        {
            return Results.Json(new { message = "not now" }, statusCode: patchStatus);
        }

        return Results.Json(new Dictionary<string, object?>
        {
            ["number"] = number,
            ["state"] = HttpMethods.IsPatch(context.Request.Method) ? "resolved" : "open",
            ["secret_type"] = "dynatrace_api_token",
            ["secret"] = AlertSecret,
        });
    }

    private IResult Keys(HttpContext context)
    {
        Interlocked.Increment(ref KeysHits);
        if (KeysStatus != 200)
        {
            return Results.StatusCode(KeysStatus);
        }

        if (context.Request.Headers.IfNoneMatch.ToString() == KeysETag)
        {
            return Results.StatusCode(304);
        }

        context.Response.Headers.ETag = KeysETag;
        return Results.Text(KeysJson, "application/json");
    }

    private IResult InstallationToken(HttpContext context, long id)
    {
        Interlocked.Increment(ref InstallationTokenHits);
        var auth = context.Request.Headers.Authorization.ToString();
        if (!auth.StartsWith("Bearer ", StringComparison.Ordinal) || !VerifyJwt(auth["Bearer ".Length..]))
        {
            return Results.Json(new { message = "A JSON web token could not be decoded" }, statusCode: 401);
        }

        return Results.Json(new Dictionary<string, object> { ["token"] = $"ghs_installation_{id}_{InstallationTokenHits}", ["expires_at"] = InstallationTokenExpires }, statusCode: 201);
    }

    private bool VerifyJwt(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3)
        {
            return false;
        }

        var ok = AppKey.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), FromBase64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var payload = JsonDocument.Parse(FromBase64Url(parts[1]));
        var root = payload.RootElement;
        var lifetime = root.GetProperty("exp").GetInt64() - root.GetProperty("iat").GetInt64();
        return ok && root.GetProperty("iss").GetString() == AppId && lifetime is > 0 and <= 600;
    }

    private static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
