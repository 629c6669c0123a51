using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Messaging.ServiceBus;
using TokenFunctions.DynatraceSandbox;
using TokenFunctions.Engine.IntegrationTests.Sources;
using TokenFunctions.KeyVaultSandbox;
using TokenFunctions.WorkerHost.ServiceBus;
using TokenFunctions.WorkerHost.Worker;
using Sandbox = TokenFunctions.DynatraceSandbox.DynatraceSandbox;
using VaultSandbox = TokenFunctions.KeyVaultSandbox.KeyVaultSandbox;

namespace TokenFunctions.Host.Tests.Hosting;

/// <summary>
/// The function app as deployed, on loopback: the built worker under <see cref="FunctionsTestHost"/>, started with
/// <c>local.settings.sample.json</c> whose endpoints point at the Dynatrace sandbox (environments <c>env1</c>,
/// <c>env2</c> and an account), the loopback HTTPS Key Vault (reached through the worker's real <c>SecretClient</c> and
/// <c>DefaultAzureCredential</c>, via the App Service managed-identity endpoint it serves), the loopback broker (the app's <c>ServiceBusConnection</c>; the host's trigger listener
/// feeds its <c>incidents</c> queue to the worker), a loopback GitHub, and Azurite tables of its own for the audit
/// trail, the webhook ledger, incident progress and rotation state. Every secret the worker is given is fresh and
/// listed in <see cref="SecretsGiven"/>.
/// </summary>
public class HostedApp : IAsyncLifetime
{
    public const string QueueName = "incidents";

    /// <summary>The queue's maxDeliveryCount and the app's Incidents:MaxDeliveryCount, equal as the docs require; small so retries run out quickly.</summary>
    public const int MaxDeliveryCount = 4;
    /// <summary>The first backoff delay of a scheduled continuation (Incidents:Retry:FirstDelay).</summary>
    public static readonly TimeSpan RetryFirstDelay = TimeSpan.FromSeconds(1);

    /// <summary>How long an outage is ridden out before RetriesExhausted (Incidents:Retry:Horizon).</summary>
    public static readonly TimeSpan RetryHorizon = TimeSpan.FromSeconds(8);

    public const string AccountUuid = "2b794097-8ad2-4b32-b923-0131da2eeddf";

    private readonly ConcurrentBag<string> _secrets = [];
    private readonly List<string> _tables = [];
    private ServiceBusClient _client = null!;

    public Sandbox Sandbox { get; private set; } = null!;

    public SandboxEnvironment Env1 { get; private set; } = null!;

    public SandboxEnvironment Env2 { get; private set; } = null!;

    public SandboxAccount Account { get; private set; } = null!;

    public VaultSandbox Vault { get; private set; } = null!;

    public AmqpBroker Broker { get; private set; } = null!;

    public BrokerQueue Incidents => Broker.Queue(QueueName);

    public FakeGitHubServer GitHub { get; private set; } = null!;

    public ECDsa PartnerKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public string PartnerKeyId { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public FunctionsTestHost Host { get; private set; } = null!;

    public ServiceBusTriggerListener Listener { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public Dictionary<string, string?> Settings { get; private set; } = null!;

    public string AuditTable { get; private set; } = null!;

    /// <summary>Every secret the worker was given or handed in a request: none may appear in what it logs or prints.</summary>
    public IReadOnlyCollection<string> SecretsGiven => [.. _secrets.Distinct()];

    /// <summary>The broker's clock: lock expiry and scheduled delivery. The system clock unless a fixture fakes it.</summary>
    protected virtual TimeProvider BrokerTime => TimeProvider.System;

    /// <summary>The vault's clock for created / updated dates.</summary>
    protected virtual TimeProvider VaultTime => TimeProvider.System;

    protected static string Azurite => Environment.GetEnvironmentVariable("TOKENFUNCTIONS_AZURITE") is { Length: > 0 } value ? value : "UseDevelopmentStorage=true";

    public virtual async ValueTask InitializeAsync()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        Sandbox = await Sandbox.StartAsync(cancellationToken: cancellationToken);
        Env1 = Sandbox.AddEnvironment("env1");
        Env2 = Sandbox.AddEnvironment("env2");
        Account = Sandbox.AddAccount(Guid.Parse(AccountUuid));
        Vault = await VaultSandbox.StartAsync(new KeyVaultSandboxOptions { TimeProvider = VaultTime }, cancellationToken);
        Broker = AmqpBroker.Start(new AmqpBrokerOptions { TimeProvider = BrokerTime });
        Broker.CreateQueue(QueueName, maxDeliveryCount: MaxDeliveryCount);
        _client = new ServiceBusClient(Broker.ConnectionString);
        GitHub = await FakeGitHubServer.StartAsync();
        GitHub.ExpectedToken = Secret("ghp_");
        GitHub.KeysJson = JsonSerializer.Serialize(new
        {
            public_keys = new[] { new { key_identifier = PartnerKeyId, key = PartnerKey.ExportSubjectPublicKeyInfoPem(), is_current = true } },
        });

        AuditTable = NewTable("audit");
        var oauth = Account.AddOAuthClient("dt0s02.HOSTEDTESTS", Secret("dt0s02.HOSTEDTESTS."));
        Settings = SampleSettings.Load();
        var overrides = new Dictionary<string, string?>
        {
            ["ServiceBusConnection"] = Given(Broker.ConnectionString),
            ["IncidentQueueName"] = QueueName,
            ["Dynatrace:Environments:0:ApiBaseUrl"] = Sandbox.EnvironmentBaseUrl("env1").AbsoluteUri,
            ["Dynatrace:Environments:0:Credential"] = Given(Env1.AddManagementToken().Secret),
            ["Dynatrace:Environments:0:SecondaryCredential"] = Given(Env1.AddManagementToken("tokenfunctions-spare").Secret),
            ["Dynatrace:Environments:1:ApiBaseUrl"] = Sandbox.EnvironmentBaseUrl("env2").AbsoluteUri,
            ["Dynatrace:Environments:1:Credential"] = Given(Env2.AddManagementToken().Secret),
            ["Dynatrace:Accounts:0:ClientId"] = oauth.ClientId,
            ["Dynatrace:Accounts:0:ClientSecret"] = Given(oauth.ClientSecret),
            ["Dynatrace:Accounts:0:SsoTokenEndpoint"] = Sandbox.SsoTokenEndpoint.AbsoluteUri,
            ["Dynatrace:Accounts:0:ApiBaseUrl"] = Sandbox.AccountApiBaseUrl.AbsoluteUri,
            ["Dynatrace:RetryBaseDelay"] = "00:00:00.050",
            ["Dynatrace:RetryMaxDelay"] = "00:00:00.200",
            ["Sources:GitHub:WebhookSecret"] = Secret("gh-webhook-"),
            ["Sources:GitHub:Token"] = Given(GitHub.ExpectedToken),
            ["Sources:GitHub:ApiBaseUrl"] = GitHub.BaseUrl.AbsoluteUri,
            ["Sources:Partner:KeysUrl"] = new Uri(GitHub.BaseUrl, "meta/public_keys/secret_scanning").AbsoluteUri,
            ["Sources:GitGuardian:SignatureToken"] = Secret("gg-"),
            ["Sources:Generic:Secret"] = Secret("generic-"),
            ["Sources:GitLab:Token"] = Secret("glrt-"),
            ["Sources:Ledger:ConnectionString"] = Azurite,
            ["Sources:Ledger:TableName"] = NewTable("ledger"),
            ["Incidents:Storage:ConnectionString"] = Azurite,
            ["Incidents:Storage:LedgerTable"] = NewTable("incidentledger"),
            ["Incidents:Storage:ProgressTable"] = NewTable("incidentprogress"),
            ["Rotation:State:ConnectionString"] = Azurite,
            ["Rotation:State:TableName"] = NewTable("rotation"),
            ["Audit:ConnectionString"] = Azurite,
            ["Audit:TableName"] = AuditTable,
            ["AzureWebJobsStorage"] = Azurite,
            ["Incidents:MaxDeliveryCount"] = MaxDeliveryCount.ToString(System.Globalization.CultureInfo.InvariantCulture),

            // Outages are ridden out on scheduled continuations (docs/incident-queue.md): seconds here instead of 30 s
            // doubling over 24 h, so a test sees a whole run of retries, and its end at the horizon, in real time.
            ["Incidents:Retry:FirstDelay"] = RetryFirstDelay.ToString(),
            ["Incidents:Retry:MaxDelay"] = "00:00:02",
            ["Incidents:Retry:Jitter"] = "0",
            ["Incidents:Retry:Horizon"] = RetryHorizon.ToString(),

            // Long enough for a cold worker's first inline kill; a test that cuts it makes the sandbox slower than this.
            ["Sources:InlineDeadline"] = "00:00:03",

            // Tests enrol credentials seconds apart; a miss always re-lists the vault (default: at most every 30 s).
            ["KeyVault:IndexMissRefreshInterval"] = "00:00:00",
        };
        foreach (var (key, value) in overrides)
        {
            Settings[key] = value;
        }

        // KeyVault:VaultUri and the certificate pin, and the managed-identity endpoint the worker's DefaultAzureCredential uses.
        foreach (var (key, value) in Vault.EnvironmentVariables())
        {
            Settings[key.Replace("__", ":", StringComparison.Ordinal)] = key == VaultSandbox.IdentityHeaderVariable ? Given(value) : value;
        }

        Configure(Settings);
        Host = await FunctionsTestHost.StartAsync(new FunctionsTestHostOptions { AppDirectory = BuiltApp.Directory, Settings = Settings }, cancellationToken);
        Listener = ServiceBusTriggerListener.Start(Host, "IncidentQueueMessage", time: BrokerTime);
        Http = Host.CreateHttpClient();
    }

    public virtual async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (Listener is not null)
        {
            await Listener.DisposeAsync();
        }

        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        await _client.DisposeAsync();
        await Broker.DisposeAsync();
        await Vault.DisposeAsync();
        await GitHub.DisposeAsync();
        await Sandbox.DisposeAsync();
        PartnerKey.Dispose();
        var tables = new TableServiceClient(Azurite);
        foreach (var table in _tables)
        {
            await tables.DeleteTableAsync(table);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>A token secret a test hands the app (in a webhook or a message): it must not come back in any output either.</summary>
    public string Leaked(SandboxIssuedToken token)
    {
        Given(token.Secret);
        return token.Secret;
    }

    /// <summary>The audit rows of a token, read straight from Azurite.</summary>
    public Task<IReadOnlyList<TableEntity>> AuditRowsAsync(string tokenId) => AuditRowsWhereAsync(TableClient.CreateQueryFilter($"TokenId eq {tokenId}"));

    /// <summary>The audit rows of an incident (its correlation id), read straight from Azurite.</summary>
    public Task<IReadOnlyList<TableEntity>> IncidentAuditRowsAsync(string incidentId) => AuditRowsWhereAsync(TableClient.CreateQueryFilter($"CorrelationId eq {incidentId}"));

    private async Task<IReadOnlyList<TableEntity>> AuditRowsWhereAsync(string filter)
    {
        var table = new TableClient(Azurite, AuditTable);
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter))
        {
            rows.Add(row);
        }

        // The trail writes one entity per index (token, time, incident); one record is one row key.
        return [.. rows.DistinctBy(r => r.RowKey)];
    }

    /// <summary>What incident tooling does: a message on the incident queue, through a real <see cref="ServiceBusSender"/>.</summary>
    public async Task<string> SendIncidentAsync(string body, string? messageId = null)
    {
        await using var sender = _client.CreateSender(QueueName);
        var message = new ServiceBusMessage(body) { MessageId = messageId ?? Guid.NewGuid().ToString("N"), ContentType = "application/json" };
        await sender.SendMessageAsync(message, TestContext.Current.CancellationToken);
        return message.MessageId;
    }

    /// <summary>
    /// Waits (at most a minute) until the incident queue is empty: what a webhook handed off (on a slow machine the inline
    /// deadline can pass) has been finished by the queue trigger too.
    /// </summary>
    public Task QueueDrainedAsync() =>
        WithinAMinuteAsync(ct => Incidents.WaitForAsync(q => q.Messages.Count == 0, ct), () => "The incident queue did not drain.");

    /// <summary>Waits (at most a minute) until <paramref name="condition"/> holds, re-checked after every delivery and queue change.</summary>
    public Task WaitUntilAsync(Func<bool> condition) =>
        WithinAMinuteAsync(
            async ct =>
            {
                // Ends the wait that did not complete when the other one did.
                using var both = CancellationTokenSource.CreateLinkedTokenSource(ct);
                while (!condition())
                {
                    var delivered = Listener.WaitForAsync(_ => condition(), both.Token);
                    var changed = Incidents.WaitForAsync(_ => condition(), both.Token);
                    await Task.WhenAny(delivered, changed).Unwrap();
                }

                await both.CancelAsync();
            },
            () => "The condition did not hold within a minute.");

    /// <summary>Waits (at most a minute) for the first continuation the app scheduled for an incident, as it arrived on the queue.</summary>
    public async Task<BrokeredMessageView> ScheduledContinuationAsync(string incidentId)
    {
        Func<BrokeredMessageView, bool> scheduled = m => m.ScheduledEnqueueTime is not null && m.MessageId?.StartsWith(incidentId + ":", StringComparison.Ordinal) == true;
        await WithinAMinuteAsync(ct => Incidents.WaitForAsync(q => q.Arrivals.Any(scheduled), ct), () => $"No continuation was scheduled for {incidentId}.");
        return Incidents.Arrivals.First(scheduled);
    }

    /// <summary>
    /// Waits (at most a minute) until the app's work on an incident ended: its continuations (message ids
    /// <c>incidentId:…</c>) have run out, and the last one was settled. Returns that last delivery.
    /// </summary>
    public async Task<TriggerDelivery> IncidentFinishedAsync(string incidentId)
    {
        bool Ours(string? messageId) => messageId?.StartsWith(incidentId + ":", StringComparison.Ordinal) == true;

        // A continuation is on the queue before the delivery that scheduled it settles, so none left means the end.
        await WithinAMinuteAsync(
            ct => Listener.WaitForAsync(d => d.Any(x => Ours(x.MessageId) && x.Settlement is not null) && !Incidents.Messages.Any(m => Ours(m.MessageId)), ct),
            () => $"Incident {incidentId} did not finish.");
        return Listener.Deliveries.Last(d => Ours(d.MessageId));
    }

    /// <summary>Waits (at most a minute) until the worker has settled a delivery of the message as <paramref name="settlement"/>.</summary>
    public Task<TriggerDelivery> WaitForSettledAsync(string messageId, SettlementKind settlement) =>
        WaitForDeliveryAsync(d => d.MessageId == messageId && d.Settlement == settlement);

    /// <summary>Waits (at most a minute) until a delivery the trigger listener made matches, and returns it.</summary>
    public async Task<TriggerDelivery> WaitForDeliveryAsync(Func<TriggerDelivery, bool> match)
    {
        await WithinAMinuteAsync(
            ct => Listener.WaitForAsync(deliveries => deliveries.Any(match), ct),
            () => "No such delivery.\nDeliveries:\n" + string.Join('\n', Listener.Deliveries.TakeLast(10)));
        return Listener.Deliveries.First(match);
    }

    /// <summary>Runs a wait for at most a minute; past it, fails the test with what the queue and the listener saw.</summary>
    private async Task WithinAMinuteAsync(Func<CancellationToken, Task> wait, Func<string> what)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        try
        {
            await wait(timeout.Token);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested && timeout.IsCancellationRequested)
        {
            Assert.Fail(what() + "\nQueue history:\n" + string.Join('\n', Incidents.History.TakeLast(30)) + Faults());
        }
    }

    private string Faults() => Listener.Faults.Count == 0 ? string.Empty : "\nTrigger listener faults:\n" + string.Join('\n', Listener.Faults);

    /// <summary>Successful disable writes (PUT 2xx) the sandbox answered for a token: exactly one per disabled token.</summary>
    public int DisableWrites(string tokenId) =>
        Sandbox.Requests.Count(r => r.Method == "PUT" && r.Path.EndsWith("/" + tokenId, StringComparison.Ordinal) && r.StatusCode is >= 200 and < 300);

    /// <summary>Settings a fixture changes before the worker starts.</summary>
    protected virtual void Configure(Dictionary<string, string?> settings)
    {
    }

    protected string Secret(string prefix) => Given(prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)));

    protected string Given(string secret)
    {
        _secrets.Add(secret);
        return secret;
    }

    private string NewTable(string purpose)
    {
        var name = "h" + purpose + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        _tables.Add(name);
        return name;
    }
}
