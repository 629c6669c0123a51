using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Engine;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Engine.Sources.Generic;
using TokenFunctions.WorkerHost.ServiceBus;
using TokenFunctions.WorkerHost.Worker;
using Sandbox = TokenFunctions.DynatraceSandbox.DynatraceSandbox;
using VaultSandbox = TokenFunctions.KeyVaultSandbox.KeyVaultSandbox;

namespace TokenFunctions.Benchmarks.Hosting;

/// <summary>
/// One set of settings (the sample's, pointed at a loopback Dynatrace sandbox, the loopback vault, the loopback broker
/// and Azurite for the audit trail) served two ways: by the built function app as a worker process under the test host,
/// and by the same engine composition (<c>AddTokenFunctionsEngine</c>) behind a Kestrel route in this process. Both are
/// reached over one real loopback HTTP hop, so the difference is what the Functions hosting adds.
/// </summary>
internal sealed class HostedBench : IAsyncDisposable
{
    private readonly string _genericSecret = "bench-generic-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    private WebApplication? _inProcess;
    private int _sequence;

    private HostedBench(Sandbox sandbox, SandboxEnvironment environment, VaultSandbox vault, AmqpBroker broker)
    {
        Sandbox = sandbox;
        Environment = environment;
        Vault = vault;
        Broker = broker;
    }

    public Sandbox Sandbox { get; }

    /// <summary>Where the leaked tokens live (env1); env2 is asked too, as the owner is unknown.</summary>
    public SandboxEnvironment Environment { get; }

    public VaultSandbox Vault { get; }

    public AmqpBroker Broker { get; }

    public Dictionary<string, string?> Settings { get; } = new(StringComparer.OrdinalIgnoreCase);

    public HttpClient? InProcessClient { get; private set; }

    public static string AppDirectory { get; } = Path.GetFullPath(typeof(HostedBench).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "FunctionAppDirectory").Value!);

    public static async Task<HostedBench> StartAsync()
    {
        var sandbox = await Sandbox.StartAsync(new SandboxOptions { RecordRequests = false });
        var environment = sandbox.AddEnvironment("env1");
        var other = sandbox.AddEnvironment("env2");
        var vault = await VaultSandbox.StartAsync(new TokenFunctions.KeyVaultSandbox.KeyVaultSandboxOptions { RecordRequests = false });
        var broker = AmqpBroker.Start(new AmqpBrokerOptions { Queues = ["incidents"] });
        var bench = new HostedBench(sandbox, environment, vault, broker);
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "local.settings.sample.json")));
        foreach (var property in sample.RootElement.GetProperty("Values").EnumerateObject())
        {
            bench.Settings[property.Name.Replace("__", ":", StringComparison.Ordinal)] = property.Value.GetString();
        }

        var azurite = System.Environment.GetEnvironmentVariable("TOKENFUNCTIONS_AZURITE") is { Length: > 0 } value ? value : "UseDevelopmentStorage=true";
        foreach (var (key, setting) in new Dictionary<string, string?>
        {
            ["ServiceBusConnection"] = broker.ConnectionString,
            ["Dynatrace:Environments:0:ApiBaseUrl"] = sandbox.EnvironmentBaseUrl("env1").AbsoluteUri,
            ["Dynatrace:Environments:0:Credential"] = environment.AddManagementToken().Secret,
            ["Dynatrace:Environments:0:SecondaryCredential"] = environment.AddManagementToken("tokenfunctions-spare").Secret,
            ["Dynatrace:Environments:1:ApiBaseUrl"] = sandbox.EnvironmentBaseUrl("env2").AbsoluteUri,
            ["Dynatrace:Environments:1:Credential"] = other.AddManagementToken().Secret,
            ["Sources:Generic:Secret"] = bench._genericSecret,
            ["Sources:Ledger:Mode"] = "InMemory",
            ["Sources:Ledger:ConnectionString"] = null,
            ["Incidents:Storage:InMemory"] = "true",
            ["Incidents:Storage:ConnectionString"] = null,
            ["Rotation:State:Mode"] = "InMemory",
            ["Rotation:State:ConnectionString"] = null,
            ["Audit:ConnectionString"] = azurite,
            ["Audit:TableName"] = "benchhosted" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)),
        })
        {
            bench.Settings[key] = setting;
        }

        foreach (var (key, setting) in vault.EnvironmentVariables())
        {
            bench.Settings[key.Replace("__", ":", StringComparison.Ordinal)] = setting;
        }

        return bench;
    }

    /// <summary>The built app as a worker under the test host, with these settings.</summary>
    public Task<FunctionsTestHost> StartWorkerAsync() =>
        FunctionsTestHost.StartAsync(new FunctionsTestHostOptions { AppDirectory = AppDirectory, Settings = Settings });

    /// <summary>The same engine composition in this process, the generic webhook routed to its endpoint as the app's adapter does.</summary>
    public async Task StartInProcessAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(Settings);
        builder.Services.AddSingleton<TokenCredential>(Vault.Credential);
        builder.Services.AddSingleton<IIncidentMessageSender, NoSender>();
        builder.Services.AddTokenFunctionsEngine(builder.Configuration);
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        app.MapPost("/api/webhooks/generic", async context =>
        {
            var result = await context.RequestServices.GetRequiredService<GenericWebhookEndpoint>().HandleAsync(context.Request, context.RequestAborted);
            await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData() ?? new RouteData(), new ActionDescriptor()));
        });
        await app.StartAsync();
        _inProcess = app;
        InProcessClient = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = new Uri(app.Urls.First() + "/") };
    }

    /// <summary>A signed generic-scanner report of one leaked token; a new event id each time, so no replay guard trips.</summary>
    public HttpRequestMessage SignedGenericReport(string tokenSecret)
    {
        var id = "bench-" + Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture);
        var body = JsonSerializer.SerializeToUtf8Bytes(new { id, tokens = new[] { tokenSecret }, reason = "benchmark", scanner = "bench" });
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(_genericSecret), (byte[])[.. Encoding.UTF8.GetBytes(timestamp + "."), .. body]));
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "api/webhooks/generic") { Content = content };
        request.Headers.TryAddWithoutValidation("X-TokenFunctions-Timestamp", timestamp);
        request.Headers.TryAddWithoutValidation("X-TokenFunctions-Signature", signature);
        return request;
    }

    /// <summary>Sends the report and checks that it ended as it must: 200 and the token disabled in the sandbox.</summary>
    public async Task DisableThroughAsync(HttpClient client, SandboxIssuedToken token)
    {
        using var request = SignedGenericReport(token.Secret);
        using var response = await client.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.OK || Environment.GetToken(token.Id)!.Enabled)
        {
            throw new InvalidOperationException($"Expected 200 and the token disabled; got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        InProcessClient?.Dispose();
        if (_inProcess is not null)
        {
            await _inProcess.StopAsync();
            await _inProcess.DisposeAsync();
        }

        await Broker.DisposeAsync();
        await Vault.DisposeAsync();
        await Sandbox.DisposeAsync();
    }

    /// <summary>The inline path never hands off here; a hand-off would be a failed run.</summary>
    private sealed class NoSender : IIncidentMessageSender
    {
        public Task SendAsync(OutgoingIncidentMessage message, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The benchmark's webhook was handed off instead of finished inline.");
    }
}
