using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Notifications;
using TokenFunctions.Engine.Sources.Generic;
using TokenFunctions.Engine.Sources.GitHub;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.IntegrationTests.Composition;

/// <summary>
/// The engine composed exactly as the function app composes it (<c>AddTokenFunctionsEngine</c>, redaction last), started as
/// a host so options validation and hosted services run, then driven end to end: the function app cannot run here, so
/// this is what proves its dependency graph and start-up.
/// </summary>
public sealed class EngineCompositionTests : IAsyncLifetime
{
    private const string GenericSecret = "generic-webhook-secret-for-tests";
    private DynatraceSandbox.DynatraceSandbox _sandbox = null!;
    private IHost _host = null!;
    private SandboxIssuedToken _victim = null!;
    private readonly RecordingIncidentMessageSender _sender = new();
    private readonly StringWriter _logs = new();

    public async ValueTask InitializeAsync()
    {
        _sandbox = await DynatraceSandbox.DynatraceSandbox.StartAsync();
        var prod = _sandbox.AddEnvironment("prod01");
        var dev = _sandbox.AddEnvironment("dev01");
        var prodAdmin = prod.AddManagementToken();
        var devAdmin = dev.AddManagementToken();
        _victim = prod.AddToken();

        var azurite = Environment.GetEnvironmentVariable("TOKENFUNCTIONS_AZURITE") is { Length: > 0 } value ? value : "UseDevelopmentStorage=true";
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dynatrace:Environments:0:Name"] = "prod01",
            ["Dynatrace:Environments:0:ApiBaseUrl"] = _sandbox.EnvironmentBaseUrl("prod01").ToString(),
            ["Dynatrace:Environments:0:Credential"] = prodAdmin.Secret,
            ["Dynatrace:Environments:1:Name"] = "dev01",
            ["Dynatrace:Environments:1:ApiBaseUrl"] = _sandbox.EnvironmentBaseUrl("dev01").ToString(),
            ["Dynatrace:Environments:1:Credential"] = devAdmin.Secret,
            ["KeyVault:VaultUri"] = "https://tokenfunctions-test.vault.azure.net/",
            ["Sources:Generic:Secret"] = GenericSecret,
            ["Sources:Ledger:Mode"] = "InMemory",
            ["Incidents:Storage:InMemory"] = "true",
            ["Rotation:State:Mode"] = "InMemory",
            ["Audit:ConnectionString"] = azurite,
            ["Audit:TableName"] = "composition" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)),
            ["IncidentQueueName"] = "incidents",
        });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddProvider(new WriterLoggerProvider(_logs));
        builder.Services.AddTokenFunctionsEngine(builder.Configuration);
        builder.Services.AddSingleton<IIncidentMessageSender>(_sender);
        builder.Logging.AddTokenRedaction();
        _host = builder.Build();
        await _host.StartAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await _sandbox.DisposeAsync();
    }

    // Every type a function class takes is resolved by reflection over the function app in
    // Functions.Tests/Hosting/CompositionRootTests; the queue is no function's constructor parameter, so it is checked here.
    [Fact]
    public void The_incident_queue_resolves() =>
        Assert.NotNull(_host.Services.GetRequiredService<IIncidentQueue>());

    [Fact]
    public void The_incident_queue_resolves_handed_off_GitHub_alerts() =>
        Assert.IsType<GitHubAlertFollowUp>(Assert.Single(_host.Services.GetServices<IIncidentFollowUp>()));

    [Fact]
    public void Callers_get_the_kill_switch_that_notifies() =>
        Assert.IsType<NotifyingKillService>(_host.Services.GetRequiredService<IKillService>());

    [Fact]
    public async Task A_signed_generic_report_disables_the_token_in_its_environment_and_leaves_no_secret_in_the_logs()
    {
        var body = Encoding.UTF8.GetBytes($$"""{"id":"scan-1","tokens":["{{_victim.Secret}}"],"reason":"found in a build log","location":"ci/build-42"}""");
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(GenericSecret), Encoding.UTF8.GetBytes(timestamp + ".").Concat(body).ToArray()));

        var context = new DefaultHttpContext { RequestServices = _host.Services };
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = body.Length;
        context.Request.Body = new MemoryStream(body);
        context.Request.Headers[GenericWebhookEndpoint.TimestampHeader] = timestamp;
        context.Request.Headers[GenericWebhookEndpoint.SignatureHeader] = signature;
        context.Response.Body = new MemoryStream();

        var result = await _host.Services.GetRequiredService<GenericWebhookEndpoint>().HandleAsync(context.Request, TestContext.Current.CancellationToken);
        await result.ExecuteResultAsync(new ActionContext { HttpContext = context });

        Assert.InRange(context.Response.StatusCode, 200, 299);
        Assert.False(_sandbox.Environment("prod01").GetToken(_victim.Id)!.Enabled);

        // Nothing but Dynatrace before the answer: the leak rotation (Key Vault) is handed to the queue.
        var rotate = Assert.Single(_sender.Sent);
        Assert.Equal("rotate", rotate.Subject);
        Assert.Contains("\"leaked\":true", Encoding.UTF8.GetString(rotate.Body.Span), StringComparison.Ordinal);
        Assert.Contains(_victim.Id, Encoding.UTF8.GetString(rotate.Body.Span), StringComparison.Ordinal);
        context.Response.Body.Position = 0;
        var response = await new StreamReader(context.Response.Body).ReadToEndAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain(_victim.Secret, response, StringComparison.Ordinal);
        Assert.DoesNotContain(_victim.Secret, _logs.ToString(), StringComparison.Ordinal);
    }

    private sealed class WriterLoggerProvider(StringWriter writer) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new WriterLogger(writer, categoryName);

        public void Dispose()
        {
        }

        private sealed class WriterLogger(StringWriter writer, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (writer)
                {
                    writer.WriteLine($"{logLevel} {category}: {formatter(state, exception)} {exception}");
                }
            }
        }
    }
}
