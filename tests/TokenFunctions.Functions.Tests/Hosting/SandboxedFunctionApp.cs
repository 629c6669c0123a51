using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Engine.Incidents;
using Sandbox = TokenFunctions.DynatraceSandbox.DynatraceSandbox;

namespace TokenFunctions.Functions.Tests.Hosting;

/// <summary>
/// The function app's host over the loopback Dynatrace sandbox: the sample settings with the two environments pointed at
/// the sandbox, incident and rotation state in memory, the audit trail in Azurite (its own table), and every other
/// outbound URL on a closed loopback port so nothing leaves the machine. Messages the processor sends to the queue
/// (continuations, leak-rotation hand-offs) are recorded by <see cref="Sent"/> instead of reaching a Service Bus.
/// </summary>
public sealed class SandboxedFunctionApp : IAsyncLifetime
{
    private const string Closed = "http://127.0.0.1:9/";

    private Sandbox _sandbox = null!;
    private FunctionAppHost _app = null!;

    internal FunctionAppHost App => _app;

    public SandboxEnvironment Env1 { get; private set; } = null!;

    public RecordingIncidentSender Sent { get; } = new();

    public async ValueTask InitializeAsync()
    {
        _sandbox = await Sandbox.StartAsync();
        Env1 = _sandbox.AddEnvironment("env1");
        var env2 = _sandbox.AddEnvironment("env2");
        var azurite = Environment.GetEnvironmentVariable("TOKENFUNCTIONS_AZURITE") is { Length: > 0 } value ? value : "UseDevelopmentStorage=true";
        _app = FunctionAppHost.Build(new Dictionary<string, string?>
        {
            ["Dynatrace:Environments:0:ApiBaseUrl"] = _sandbox.EnvironmentBaseUrl("env1").ToString(),
            ["Dynatrace:Environments:0:Credential"] = Env1.AddManagementToken().Secret,
            ["Dynatrace:Environments:0:SecondaryCredential"] = Env1.AddManagementToken("tokenfunctions-spare").Secret,
            ["Dynatrace:Environments:1:ApiBaseUrl"] = _sandbox.EnvironmentBaseUrl("env2").ToString(),
            ["Dynatrace:Environments:1:Credential"] = env2.AddManagementToken().Secret,
            ["Dynatrace:Accounts:0:SsoTokenEndpoint"] = Closed,
            ["Dynatrace:Accounts:0:ApiBaseUrl"] = Closed,
            ["Dynatrace:MaxRetryAttempts"] = "1",
            ["Dynatrace:RetryBaseDelay"] = "00:00:00.010",
            ["Incidents:Storage:InMemory"] = "true",
            ["Incidents:Storage:ConnectionString"] = null,
            ["Rotation:State:Mode"] = "InMemory",
            ["Rotation:State:ConnectionString"] = null,
            ["Sources:Ledger:Mode"] = "InMemory",
            ["Sources:Ledger:ConnectionString"] = null,
            ["Sources:GitHub:ApiBaseUrl"] = Closed,
            ["Sources:Partner:KeysUrl"] = Closed,
            ["Audit:ConnectionString"] = azurite,
            ["Audit:TableName"] = "adapters" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)),
        }, services => services.AddSingleton<IIncidentMessageSender>(Sent));
    }

    public async ValueTask DisposeAsync()
    {
        _app.Dispose();
        await _sandbox.DisposeAsync();
    }
}
